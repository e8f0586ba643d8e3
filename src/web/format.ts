import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { el } from "./dom.js";

/** "2026-01-01 09:00:00": UTC to the second (the headings say UTC). */
export function utcText(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** A `<time>` element for a timestamp in UTC to the second, or a dash when unset. */
export function timeElement(timestamp: Timestamp | undefined): HTMLElement {
  if (timestamp === undefined) return el("span", { class: "muted" }, "–");
  const date = timestampDate(timestamp);
  return el("time", { datetime: date.toISOString(), title: `${utcText(date)} UTC` }, utcText(date));
}

/** Labelled times in one cell ("created … renewed …"), each as timeElement shows it. */
export function timesList(...times: Array<[label: string, timestamp: Timestamp | undefined]>): HTMLElement {
  return el("dl", { class: "times" }, ...times.flatMap(([label, timestamp]) => [el("dt", {}, label), el("dd", {}, timeElement(timestamp))]));
}

/**
 * An identifier in a table cell: on one line, cut with an ellipsis when the
 * column is narrower (never broken in the middle), the whole value on hover
 * and selected whole by one click, ready to copy.
 */
export function idCell(value: string): HTMLElement {
  return el("code", { class: "id", title: value }, value);
}

/**
 * An identifier inside a sentence: kept whole on one line when it fits,
 * broken only when it is longer than a whole line.
 */
export function idInText(value: string): HTMLElement {
  return el("code", { class: "token" }, value);
}

/** A text in a table cell cut with an ellipsis when too long, the whole text on hover. */
export function clippedText(value: string): HTMLElement {
  return el("span", { class: "clip", title: value }, value);
}

/** A sentence with each of `ids` it contains shown as an identifier (kept whole, in the code font); the rest stays text. */
export function textWithIds(text: string, ids: string[]): (Node | string)[] {
  // Longest first, so that an id containing another is matched whole.
  const wanted = [...new Set(ids.filter((id) => id !== ""))].sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return [text];
  const pattern = new RegExp(`(${wanted.map(escapeRegExp).join("|")})`);
  return text
    .split(pattern)
    .filter((part) => part !== "")
    .map((part) => (wanted.includes(part) ? idInText(part) : part));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
