import type { Pool } from "mysql2/promise";
import type { Message } from "../../support/grpc-client.js";
import { duendeQuery } from "./duende.js";
import { floorQuery, floorRemoval } from "./floor.js";
import type { GrpcClients } from "./grpc-load.js";
import { idpScenarios, type IdpClients } from "./idp-scenarios.js";
import { exhausted, type Operation } from "./load.js";
import type { Target } from "./options.js";
import type { QueryCase } from "./query-cases.js";
import { createRemovalSubjects, type RemovalSubjects } from "./removal-fixtures.js";

/** What a scenario needs to build its operations for one target. */
export interface ScenarioEnv {
  /** A pool on the dataset (the floor's and Duende's connections, and for preparing data). */
  pool: Pool;
  /** Service clients; only for the service target. */
  clients?: GrpcClients;
  /** SessionStore and GrantStore clients; only for the service target. */
  idp?: IdpClients;
  pageSize: number;
  request(c: QueryCase): Message;
  /** Per case name: whether the service serves its total from the count cache. */
  cachedCounts: ReadonlyMap<string, boolean>;
}

/** How long and how wide a run is, for sizing prepared data. */
export interface RunPlan {
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  /** The highest rate (requests/s) this scenario reached so far in this run, for sizing prepared data. */
  observedRate?: number;
}

/** A benchmark scenario, issued by each target that has an equivalent. */
export interface Scenario {
  id: string;
  name: string;
  detail: string;
  /** Changes the data: run only on datasets the suite created. */
  writes: boolean;
  /** The operation of one target, or undefined if the target has no equivalent. */
  build(target: Target, env: ScenarioEnv, plan: RunPlan): Promise<Operation | undefined>;
}

function queryOperation(target: Target, env: ScenarioEnv, c: QueryCase): Operation | undefined {
  if (target === "service") {
    const request = env.request(c);
    return async (worker) => {
      await env.clients!.forWorker(worker).querySessions(request);
    };
  }
  if (target === "floor") return floorQuery(env.pool, c, env.pageSize, env.cachedCounts.get(c.name) ?? false);
  // Duende's query has no equivalent of the newer filters or of the order.
  return c.newer ? undefined : duendeQuery(env.pool, c, env.pageSize);
}

function removalOperation(target: Target, env: ScenarioEnv, subjects: RemovalSubjects): Operation | undefined {
  if (target === "service") {
    return async (worker) => {
      const subject = subjects.take();
      if (subject === undefined) return exhausted;
      await env.clients!.forWorker(worker).removeSessions({ subject_id: subject });
      return undefined;
    };
  }
  if (target === "floor") return floorRemoval(env.pool, subjects);
  // Duende's RemoveSessionsAsync loops over sessions and calls back into the
  // IdP's stores; there is no comparable SQL to issue here.
  return undefined;
}

// Enough subjects for a run of this plan: three times the best rate seen so
// far, or a generous guess for the first run; a run that runs out anyway
// ends early and says so in the report.
function removalSubjectsFor(plan: RunPlan, share: number): number {
  const seconds = (plan.durationMs + plan.warmupMs) / 1000;
  const rate = Math.max(600 * Math.sqrt(plan.concurrency), 3 * (plan.observedRate ?? 0));
  return Math.max(20, Math.ceil(seconds * share * rate));
}

/** The suite's scenarios on a dataset's query cases, in report order. */
export function scenarios(cases: Record<string, QueryCase>): Scenario[] {
  const read = (id: string, c: QueryCase): Scenario => ({
    id,
    name: c.name,
    detail: c.detail,
    writes: false,
    build: async (target, env) => queryOperation(target, env, c),
  });
  const mixReads = [cases.firstPage!, cases.nextPage90!, cases.subject!, cases.sessionId!, cases.displayNameSelective!, cases.clientPopular!];
  return [
    {
      id: "emptyRpc",
      name: "empty call (grpc.health.v1 Check)",
      detail: "through grpc-js, HTTP/2 and the server's interceptors, no SQL: what any call costs here",
      writes: false,
      build: async (target, env) => (target === "service" ? async (worker) => void (await env.clients!.healthCheck(worker)) : undefined),
    },
    ...Object.entries(cases).map(([id, c]) => read(id, c)),
    ...idpScenarios(),
    {
      id: "removeSessions",
      name: "RemoveSessions of a subject",
      detail: "5 sessions × 3 clients, 25 grants; revoke, notify, remove",
      writes: true,
      async build(target, env, plan) {
        if (target === "duende") return undefined;
        return removalOperation(target, env, await createRemovalSubjects(env.pool, removalSubjectsFor(plan, 1)));
      },
    },
    {
      id: "mixed",
      name: "mixed read/write",
      detail: "9 in 10 reads (first, deep, subject, sid, name, client), 1 in 10 RemoveSessions",
      writes: true,
      async build(target, env, plan) {
        if (target === "duende") return undefined;
        const reads = mixReads.map((c) => queryOperation(target, env, c)!);
        const removal = removalOperation(target, env, await createRemovalSubjects(env.pool, removalSubjectsFor(plan, 0.1)))!;
        let sequence = 0;
        return (worker) => {
          const n = sequence++;
          return n % 10 === 9 ? removal(worker) : reads[n % reads.length]!(worker);
        };
      },
    },
  ];
}
