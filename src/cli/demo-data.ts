import { displayNameKey } from "../domain/display-name-key.js";
import { grantTypes } from "../domain/grant-types.js";

/** Column order of the flat session rows; ids are explicit so that client links can refer to them. */
export const sessionColumns = [
  "id",
  "session_key",
  "scheme",
  "subject_id",
  "session_id",
  "display_name",
  "display_name_key",
  "issuer",
  "created",
  "renewed",
  "expires",
  "ticket",
] as const;

/** Column order of the flat session_clients rows. */
export const sessionClientColumns = ["session_pk", "client_id"] as const;

/** Column order of the flat persisted_grants rows (ids are left to the database). */
export const grantColumns = [
  "grant_key",
  "grant_type",
  "subject_id",
  "session_id",
  "client_id",
  "creation_time",
  "expiration",
  "consumed_time",
  "data",
] as const;

/** Column order of the flat clients rows. */
export const clientColumns = [
  "client_id",
  "enabled",
  "backchannel_logout_uri",
  "backchannel_logout_session_required",
  "created",
  "updated",
] as const;

/** What to generate. The same options always give the same rows. */
export interface DemoDataOptions {
  sessions: number;
  seed: number;
  /** Id of the first session; the others follow consecutively. */
  firstId: number;
  /** Sessions are created over the days before it; it also names the run, which keeps keys unique. */
  now: Date;
  /** Sessions per batch. */
  batchSize: number;
}

/** Consecutive sessions with their client links and grants, as flat rows in the column orders above. */
export interface DemoBatch {
  sessions: unknown[];
  sessionClients: unknown[];
  grants: unknown[];
}

/** A lazily generated data set. */
export interface DemoData {
  /** Part of every generated key, sid and subject id; distinct for every `now`. */
  readonly runId: string;
  /** The sessions in id order, `batchSize` at a time; can be iterated once. */
  readonly batches: Generator<DemoBatch, void, undefined>;
  /** Flat rows of the clients that the batches generated so far refer to. */
  usedClients(): unknown[];
}

const day = 86_400_000;
const sessionWindow = 30 * day;
const slidingLifetime = 14 * day;
const issuer = "https://idp.example.com";
const scheme = "idsrv";
// The service never opens tickets; a small constant keeps a million rows small.
const ticket = Buffer.from("demo-ticket:not-a-real-authentication-ticket");
// A subject's sessions all fall inside one chunk of this many consecutive
// sessions (a day or two at a million sessions), shuffled within it: subjects
// sign in on several devices over a short period, and new subject ids reach
// the subject index near its end instead of all over it.
const chunkSize = 65_536;
const sessionsPerSubjectWeights = [40, 22, 14, 9, 6, 4, 3, 2];
const clientsPerSessionWeights = [20, 20, 25, 20, 15];
// Client popularity follows Zipf's law: a few clients are in most sessions.
const clientPopularityExponent = 1.1;

/** Generates demo sessions, client links, grants and clients; pure and deterministic. */
export function createDemoData(options: DemoDataOptions): DemoData {
  const random = createRandom(options.seed);
  const runId = options.now.getTime().toString(36);
  const sidPrefix = `${runId.toUpperCase()}S`;
  const nowMs = options.now.getTime();
  const poolSize = Math.max(8, Math.round(Math.sqrt(options.sessions)));
  const clientIds = Array.from({ length: poolSize }, (_, i) => `rp-${i + 1}`);
  const clientPick = cumulative(clientIds.map((_, i) => 1 / (i + 1) ** clientPopularityExponent));
  const subjectsPick = cumulative(sessionsPerSubjectWeights);
  const clientsPick = cumulative(clientsPerSessionWeights);
  const used = new Uint8Array(poolSize);

  const batches = function* (): Generator<DemoBatch, void, undefined> {
    const chunk = createChunk();
    let grantSeq = 0;
    let batch = emptyBatch();
    let inBatch = 0;
    const grant = (type: string, subject: string, sid: string | null, client: string, created: number, expires: number | null, consumed: number | null, data: string) => {
      batch.grants.push(
        `${runId}-g${hex(grantSeq++)}`,
        type,
        subject,
        sid,
        client,
        new Date(created),
        expires === null ? null : new Date(expires),
        consumed === null ? null : new Date(consumed),
        data,
      );
    };
    const step = sessionWindow / options.sessions;
    const startMs = nowMs - sessionWindow;
    const clients: number[] = [];

    for (let i = 0; i < options.sessions; i++) {
      const position = i % chunkSize;
      if (position === 0) chunk.fill(Math.min(chunkSize, options.sessions - i));
      const s = chunk.slots[position]!;
      const subject = chunk.subjectIds[s]!;
      const name = chunk.nameIndexes[s]!;
      const id = options.firstId + i;
      const sid = `${sidPrefix}${hex(i).toUpperCase()}`;
      // Within one step of its own slot, so that created grows with id.
      const created = Math.floor(startMs + (i + random()) * step);
      const renewed = created + Math.floor(random() * (nowMs - created));
      batch.sessions.push(
        id,
        `${runId}-${hex(i)}`,
        scheme,
        subject,
        sid,
        names.display[name],
        names.keys[name],
        issuer,
        new Date(created),
        new Date(renewed),
        new Date(renewed + slidingLifetime),
        ticket,
      );

      clients.length = 0;
      const count = pick(clientsPick, random()) + 1;
      while (clients.length < count) {
        const c = pick(clientPick, random());
        if (!clients.includes(c)) clients.push(c);
      }
      const seen = chunk.consentedClients(s);
      for (const c of clients) {
        const client = clientIds[c]!;
        used[c] = 1;
        batch.sessionClients.push(id, client);
        if (random() < 0.55) {
          const at = created + Math.floor(random() * (renewed - created + 1));
          grant(grantTypes.refreshToken, subject, sid, client, at, at + 30 * day, null, refreshTokenData);
        }
        if (random() < 0.12) {
          const at = created + Math.floor(random() * (renewed - created + 1));
          grant(grantTypes.referenceToken, subject, sid, client, at, at + 3_600_000, null, referenceTokenData);
        }
        // Consents belong to subject and client, not to one session.
        if (!seen.includes(c)) {
          seen.push(c);
          if (random() < 0.4) grant(grantTypes.userConsent, subject, null, client, created, null, null, consentData);
        }
      }
      if (random() < 0.05) {
        const consumed = random() < 0.7 ? renewed + 1_500 : null;
        grant(grantTypes.authorizationCode, subject, sid, clientIds[clients[0]!]!, renewed, renewed + 300_000, consumed, codeData);
      }

      if (++inBatch === options.batchSize) {
        yield batch;
        batch = emptyBatch();
        inBatch = 0;
      }
    }
    if (inBatch > 0) yield batch;
  };

  // The subjects of one chunk: each gets 1–8 slots, then the slots are shuffled.
  function createChunk() {
    const slots = new Int32Array(chunkSize);
    const subjectIds: string[] = [];
    const nameIndexes: number[] = [];
    let consents = new Map<number, number[]>();
    let nextSubject = 0;
    return {
      slots,
      subjectIds,
      nameIndexes,
      fill(length: number) {
        subjectIds.length = 0;
        nameIndexes.length = 0;
        consents = new Map();
        for (let filled = 0; filled < length; ) {
          const n = Math.min(pick(subjectsPick, random()) + 1, length - filled);
          const s = subjectIds.length;
          subjectIds.push(`${runId}-u${nextSubject++}`);
          nameIndexes.push(Math.floor(random() * names.display.length));
          slots.fill(s, filled, filled + n);
          filled += n;
        }
        for (let i = length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          const t = slots[i]!;
          slots[i] = slots[j]!;
          slots[j] = t;
        }
      },
      consentedClients(s: number): number[] {
        let list = consents.get(s);
        if (list === undefined) consents.set(s, (list = []));
        return list;
      },
    };
  }

  return {
    runId,
    batches: batches(),
    usedClients() {
      const rows: unknown[] = [];
      const at = options.now;
      used.forEach((flag, c) => {
        const n = c + 1;
        if (flag === 1) rows.push(clientIds[c], n % 25 === 7 ? 0 : 1, n % 8 === 3 ? null : `https://rp-${n}.example.com/backchannel-logout`, n % 6 === 5 ? 0 : 1, at, at);
      });
      return rows;
    },
  };
}

function emptyBatch(): DemoBatch {
  return { sessions: [], sessionClients: [], grants: [] };
}

// Fixed width keeps generated keys in insertion order in their unique indexes.
function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}

// Small placeholders: the service stores grant data but never reads it.
const refreshTokenData = '{"Version":4,"Lifetime":2592000,"ConsumedTime":null}';
const referenceTokenData = '{"Version":1,"Lifetime":3600,"Type":"access_token"}';
const codeData = '{"Lifetime":300,"CodeChallengeMethod":"S256","IsOpenId":true}';
const consentData = '{"Scopes":["openid","profile","api"]}';

// Shared first and last names, so that display-name prefixes match many
// sessions ("Bob S…" finds "Bob Smith" and "Bob Stone"); a few need case
// folding or escaping (Zoë, Müller, O'Brien).
const firstNames = [
  "Aaron", "Ada", "Adam", "Aisha", "Alan", "Alice", "Amir", "Amy", "Ana", "Andrea", "Anna", "Ben", "Bob", "Bobby",
  "Carla", "Carlos", "Carol", "Chen", "Chloé", "Chris", "Clara", "Dan", "Daniel", "Dave", "David", "Diana", "Elena",
  "Eli", "Emma", "Eric", "Erik", "Eva", "Fatima", "Felix", "Frank", "Grace", "Hana", "Hannah", "Hugo", "Ian", "Ines",
  "Isaac", "Ivan", "Jack", "Jan", "Jane", "Jean", "Jia", "Joe", "John", "José", "Julia", "Jürgen", "Kai", "Karen",
  "Kate", "Kim", "Lars", "Laura", "Lea", "Leo", "Li", "Liam", "Lina", "Lucas", "Luis", "Maria", "Marie", "Mark",
  "Martin", "Mary", "Max", "Mei", "Mia", "Mike", "Nina", "Noah", "Olga", "Omar", "Paul", "Peter", "Priya", "Raj",
  "Rosa", "Sam", "Sara", "Sarah", "Sofia", "Søren", "Tom", "Tomás", "Vera", "Wei", "Yuki", "Zoe", "Zoë",
];
const lastNames = [
  "Adams", "Ahmed", "Allen", "Andersen", "Baker", "Becker", "Bell", "Brown", "Campbell", "Carter", "Chen", "Clark",
  "Cohen", "Cooper", "Davies", "Davis", "Díaz", "Dubois", "Edwards", "Evans", "Fischer", "Fernández", "Garcia",
  "García", "Green", "Hall", "Harris", "Hill", "Hoffmann", "Hughes", "Jackson", "Jensen", "Johnson", "Jones", "Kaur",
  "Khan", "Kim", "King", "Klein", "Kowalski", "Lee", "Lewis", "Li", "López", "Martin", "Martínez", "Meyer", "Miller",
  "Moore", "Morris", "Müller", "Murphy", "Nguyen", "Nielsen", "Novak", "O'Brien", "Patel", "Perez", "Petrov",
  "Price", "Reed", "Richter", "Roberts", "Robinson", "Rossi", "Santos", "Schmidt", "Schneider", "Scott", "Silva",
  "Singh", "Smith", "Smythe", "Stone", "Suzuki", "Tanaka", "Taylor", "Thomas", "Thompson", "Walker", "Wang",
  "Weber", "White", "Williams", "Wilson", "Wright", "Young", "Zhang",
];
// Every display name and its key, computed once rather than once per session.
const names = (() => {
  const display: string[] = [];
  const keys: string[] = [];
  for (const first of firstNames) {
    for (const last of lastNames) {
      display.push(`${first} ${last}`);
      keys.push(displayNameKey(`${first} ${last}`));
    }
  }
  return { display, keys };
})();

// Cumulative weights, normalised to end at 1.
function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const result = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (result[i] = sum += w / total));
  result[weights.length - 1] = 1;
  return result;
}

// The index whose cumulative weight first exceeds u (binary search).
function pick(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// mulberry32: tiny, fast and good enough for demo data; Math.random cannot be seeded.
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
