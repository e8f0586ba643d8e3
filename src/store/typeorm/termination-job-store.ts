import { activeJobStates, type JobDefinition, type JobState, type TerminationJob } from "../../domain/termination-job.js";
import type { JobAdvance, NewTerminationJob, TerminationJobStore } from "../termination-job-store.js";
import type { Dialect } from "./dialect.js";
import { isDuplicateKeyError } from "./driver-errors.js";
import { conditions } from "./sql-conditions.js";
import type { SqlExecutor } from "./sql-executor.js";

const active = `state IN ('${activeJobStates.join("', '")}')`;
const counters = ["sessions", "tokens", "consents", "notifications"] as const;

/** Termination jobs in the termination_jobs table. */
export function createTerminationJobStore(sql: SqlExecutor, dialect: Dialect): TerminationJobStore {
  const byKey = async (key: string) =>
    (await sql.rows<JobRow>("SELECT * FROM termination_jobs WHERE idempotency_key = ?", [key])).map((row) => toJob(row, dialect))[0];

  return {
    async create(job: NewTerminationJob) {
      const existing = await byKey(job.idempotencyKey);
      if (existing !== undefined) return { job: existing, created: false };
      const at = dialect.time(job.created);
      try {
        await sql.run(
          `INSERT INTO termination_jobs (id, idempotency_key, definition, created_by, state, cursor_pk, sessions, tokens, consents, notifications, batches, created, updated) VALUES (?, ?, ?, ?, 'pending', 0, 0, 0, 0, 0, 0, ?, ?)`,
          [job.id, job.idempotencyKey, JSON.stringify(job.definition), job.createdBy, at, at],
        );
      } catch (error) {
        // Two starts with one key at once: the other one recorded it.
        if (!isDuplicateKeyError(error)) throw error;
        const raced = await byKey(job.idempotencyKey);
        if (raced === undefined) throw error;
        return { job: raced, created: false };
      }
      return { job: (await this.get(job.id))!, created: true };
    },

    async get(id: string) {
      const [row] = await sql.rows<JobRow>("SELECT * FROM termination_jobs WHERE id = ?", [id]);
      return row === undefined ? undefined : toJob(row, dialect);
    },

    async list(limit: number, beforeId?: string, state?: JobState) {
      const where = conditions().equals("state", state);
      if (beforeId !== undefined) where.add("id < ?", beforeId);
      const rows = await sql.rows<JobRow>(`SELECT * FROM termination_jobs${where.whereSql()} ORDER BY id DESC LIMIT ?`, [...where.params, limit]);
      return rows.map((row) => toJob(row, dialect));
    },

    async cancel(id: string, by: string, now: Date) {
      const at = dialect.time(now);
      return (
        (await sql.run(
          `UPDATE termination_jobs SET state = 'cancelled', cancelled_by = ?, ended = ?, updated = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND ${active}`,
          [by, at, at, id],
        )) === 1
      );
    },

    async claimable(now: Date, limit: number) {
      const rows = await sql.rows<{ id: unknown }>(
        `SELECT id FROM termination_jobs WHERE ${active} AND (lease_owner IS NULL OR lease_expires_at < ?) ORDER BY id LIMIT ?`,
        [dialect.time(now), limit],
      );
      return rows.map((row) => dialect.readText(row.id));
    },

    async claim(id: string, owner: string, now: Date, leaseExpiresAt: Date) {
      return (
        (await sql.run(
          `UPDATE termination_jobs SET lease_owner = ?, lease_expires_at = ? WHERE id = ? AND ${active} AND (lease_owner IS NULL OR lease_expires_at < ? OR lease_owner = ?)`,
          [owner, dialect.time(leaseExpiresAt), id, dialect.time(now), owner],
        )) === 1
      );
    },

    async renew(id: string, owner: string, leaseExpiresAt: Date) {
      return (
        (await sql.run(`UPDATE termination_jobs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? AND ${active}`, [
          dialect.time(leaseExpiresAt),
          id,
          owner,
        ])) === 1
      );
    },

    async release(id: string, owner: string) {
      await sql.run("UPDATE termination_jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?", [id, owner]);
    },

    async advance(step: JobAdvance) {
      const at = dialect.time(step.now);
      const sums = counters.map((c) => `${c} = ${c} + ?`).join(", ");
      const ending = step.done ? ", state = 'succeeded', ended = ?, lease_owner = NULL, lease_expires_at = NULL" : ", state = 'running', lease_expires_at = ?";
      return (
        (await sql.run(
          `UPDATE termination_jobs SET cursor_pk = ?, ${sums}, batches = batches + 1, updated = ?${ending} WHERE id = ? AND lease_owner = ? AND cursor_pk = ? AND ${active}`,
          [
            step.toPk,
            ...counters.map((c) => step.counts[c]),
            at,
            step.done ? at : dialect.time(step.leaseExpiresAt),
            step.id,
            step.owner,
            step.fromPk,
          ],
        )) === 1
      );
    },

    async fail(id: string, owner: string, error: string, now: Date) {
      const at = dialect.time(now);
      return (
        (await sql.run(
          `UPDATE termination_jobs SET state = 'failed', error = ?, ended = ?, updated = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ? AND ${active}`,
          [error.slice(0, 1000), at, at, id, owner],
        )) === 1
      );
    },

    async countActive() {
      // Read from IDX_termination_jobs_state alone.
      const rows = await sql.rows<{ state: unknown; jobs: unknown }>(`SELECT state, COUNT(*) AS jobs FROM termination_jobs WHERE ${active} GROUP BY state`);
      const counts = { pending: 0, running: 0 };
      for (const row of rows) {
        const state = dialect.readText(row.state);
        if (state === "pending" || state === "running") counts[state] = Number(row.jobs);
      }
      return counts;
    },
  };
}

interface JobRow {
  id: unknown;
  idempotency_key: unknown;
  definition: unknown;
  created_by: unknown;
  state: unknown;
  cursor_pk: unknown;
  sessions: unknown;
  tokens: unknown;
  consents: unknown;
  notifications: unknown;
  batches: unknown;
  lease_owner: unknown;
  lease_expires_at: unknown;
  created: unknown;
  updated: unknown;
  ended: unknown;
  error: unknown;
  cancelled_by: unknown;
}

function toJob(row: JobRow, dialect: Dialect): TerminationJob {
  const text = (value: unknown) => (value === null || value === undefined ? undefined : dialect.readText(value));
  const time = (value: unknown) => (value === null || value === undefined ? undefined : dialect.readTime(value));
  return {
    id: dialect.readText(row.id),
    idempotencyKey: dialect.readText(row.idempotency_key),
    definition: JSON.parse(dialect.readText(row.definition)) as JobDefinition,
    createdBy: dialect.readText(row.created_by),
    state: dialect.readText(row.state) as JobState,
    cursorPk: Number(row.cursor_pk),
    progress: { sessions: Number(row.sessions), tokens: Number(row.tokens), consents: Number(row.consents), notifications: Number(row.notifications) },
    batches: Number(row.batches),
    leaseOwner: text(row.lease_owner),
    leaseExpiresAt: time(row.lease_expires_at),
    created: dialect.readTime(row.created),
    updated: dialect.readTime(row.updated),
    ended: time(row.ended),
    error: text(row.error),
    cancelledBy: text(row.cancelled_by),
  };
}
