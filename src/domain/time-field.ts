import { invalidArgument } from "./errors.js";

// The range of MySQL's DATETIME, which SQLite's text times also sort correctly within.
const earliest = Date.UTC(1000, 0, 1);
const latest = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Validates a time to be stored: a real date between the years 1000 and 9999. */
export function timeField(field: string, value: Date): Date {
  const ms = value.getTime();
  if (!Number.isFinite(ms) || ms < earliest || ms > latest) {
    throw invalidArgument(field, "must be a time between the years 1000 and 9999");
  }
  return value;
}
