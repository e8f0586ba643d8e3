import { create } from "@bufbuild/protobuf";
import { TimestampSchema, type Timestamp } from "@bufbuild/protobuf/wkt";
import { invalidArgument } from "../domain/errors.js";
import { timeField } from "../domain/time-field.js";

/**
 * A request's Timestamp as a Date, or undefined when unset. Times are stored
 * with millisecond precision: finer digits are cut off, never rounded up, so
 * a time never moves past the one the client sent.
 */
export function dateOf(field: string, timestamp: Timestamp | undefined): Date | undefined {
  if (timestamp === undefined) return undefined;
  if (!Number.isInteger(timestamp.nanos) || timestamp.nanos < 0 || timestamp.nanos > 999_999_999) {
    throw invalidArgument(field, "nanos must be between 0 and 999999999");
  }
  return timeField(field, new Date(Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1_000_000)));
}

/** A stored time as a response Timestamp; undefined stays unset. */
export function timestampOf(date: Date | undefined): Timestamp | undefined {
  if (date === undefined) return undefined;
  const ms = date.getTime();
  return create(TimestampSchema, { seconds: BigInt(Math.floor(ms / 1000)), nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 });
}
