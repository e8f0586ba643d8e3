import { toJson, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

/** A column of a human-readable table. */
export interface Column<T> {
  title: string;
  cell(row: T): string;
}

/** Writes rows as an aligned table with a header; "(none)" when there are none. */
export function writeTable<T>(out: NodeJS.WritableStream, columns: readonly Column<T>[], rows: readonly T[]): void {
  if (rows.length === 0) {
    out.write("(none)\n");
    return;
  }
  const cells = rows.map((row) => columns.map((c) => oneLine(c.cell(row))));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!))).join("  ").trimEnd();
  out.write(`${line(columns.map((c) => c.title.toUpperCase()))}\n`);
  for (const row of cells) out.write(`${line(row)}\n`);
}

/** Writes one message as a line of JSON (the API's JSON form: camelCase names, RFC 3339 times). */
export function writeJsonLine<Desc extends DescMessage>(out: NodeJS.WritableStream, schema: Desc, message: MessageShape<Desc>): void {
  out.write(`${JSON.stringify(toJson(schema, message, { alwaysEmitImplicit: true }))}\n`);
}

/** A time as `2026-01-31 09:00:00Z`; "-" when unset. */
export function formatTime(time: Timestamp | undefined): string {
  if (time === undefined) return "-";
  return timestampDate(time).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

/** A list as comma-separated words; "-" when empty. */
export function formatList(values: readonly string[]): string {
  return values.length === 0 ? "-" : values.join(",");
}

/** A value, or "-" when empty. */
export function orDash(value: string | number | undefined): string {
  return value === undefined || value === "" ? "-" : String(value);
}

/** "1 session", "2 sessions". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, " ");
}
