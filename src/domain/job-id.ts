import { randomBytes } from "node:crypto";

const pattern = /^job_[0-9a-f]{28}$/;

/**
 * A new job id: "job_", the time in ms as 12 hex digits, then 16 random hex
 * digits. Ids sort in the order jobs were started (to the millisecond).
 */
export function newJobId(now: Date): string {
  return `job_${now.getTime().toString(16).padStart(12, "0")}${randomBytes(8).toString("hex")}`;
}

/** Whether the text has the form of a job id (it may still name no job). */
export function isJobId(text: string): boolean {
  return pattern.test(text);
}
