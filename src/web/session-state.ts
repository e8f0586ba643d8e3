/** Whether a session still counts: active until its expiry, expired after it (until the sweeper removes it). */
export type SessionState = "active" | "expired" | "no-expiry";

/** What the list shows about a session's lifetime. */
export interface SessionLifetime {
  state: SessionState;
  /** The badge: "Active", "Expired" or "No expiry". */
  label: string;
  /** How far the expiry is from now, for a glance: "expires in 3 h 5 min", "expired 2 d 4 h ago"; empty without expiry. */
  relative: string;
}

/** A session's state at `now` from its expiry (undefined: the session never expires). */
export function sessionLifetime(expires: Date | undefined, now: Date): SessionLifetime {
  if (expires === undefined) return { state: "no-expiry", label: "No expiry", relative: "" };
  const left = expires.getTime() - now.getTime();
  // A session is valid up to and excluding its expiry instant, as the sweeper sees it.
  return left > 0
    ? { state: "active", label: "Active", relative: `expires in ${describeDuration(left)}` }
    : { state: "expired", label: "Expired", relative: `expired ${describeDuration(-left)} ago` };
}

const units: [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["min", 60_000],
  ["s", 1000],
];

/** A duration in its two largest units, rounded down: "2 d 4 h", "3 h", "45 s"; under a second: "less than 1 s". */
export function describeDuration(ms: number): string {
  const rest = Math.max(0, Math.floor(ms));
  const first = units.findIndex(([, size]) => rest >= size);
  if (first === -1) return "less than 1 s";
  const [unit, size] = units[first]!;
  const whole = Math.floor(rest / size);
  const text = `${whole.toLocaleString("en")} ${unit}`;
  const smaller = units[first + 1];
  if (smaller === undefined) return text;
  const part = Math.floor((rest - whole * size) / smaller[1]);
  return part === 0 ? text : `${text} ${part} ${smaller[0]}`;
}
