import { invalidArgument } from "./errors.js";

/**
 * Validates a free-text request field: well-formed Unicode and at most
 * `maxLength` code points. Returns the value, or undefined for "" (absent).
 */
export function optionalTextField(field: string, value: string, maxLength: number): string | undefined {
  if (value === "") return undefined;
  return requiredTextField(field, value, maxLength);
}

/** Like optionalTextField, but "" is rejected. */
export function requiredTextField(field: string, value: string, maxLength: number): string {
  if (value === "") throw invalidArgument(field, "must not be empty");
  if (!value.isWellFormed()) throw invalidArgument(field, "must be valid UTF-8 text");
  if (codePointLength(value, maxLength) > maxLength) {
    throw invalidArgument(field, `must be at most ${maxLength} characters`);
  }
  return value;
}

// Stops counting once past the limit, so a huge input costs no more than a small one.
function codePointLength(value: string, stopAfter: number): number {
  if (value.length <= stopAfter) return value.length;
  let n = 0;
  for (const _ of value) {
    if (++n > stopAfter) break;
  }
  return n;
}
