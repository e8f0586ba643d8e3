import { create } from "@bufbuild/protobuf";
import {
  PreviewTerminationResponseSchema,
  type PreviewTerminationRequest,
  type PreviewTerminationResponse,
  type TerminationActions,
} from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { grantTypes, tokenGrantTypes } from "../domain/grant-types.js";
import { parseRemovalActions, type RemovalActions } from "../domain/removal-request.js";
import type { SessionFilter } from "../domain/session-filter.js";
import type { StoredSession } from "../domain/session.js";
import { noCounts, type TerminationCounts } from "../domain/termination-job.js";
import { planConsentRevocations, planNotifications } from "../domain/termination-plan.js";
import type { StoreSet } from "../store/stores.js";
import { sessionFilterOf } from "./job-filter.js";
import type { SessionCounter } from "./session-counter.js";

/** What a preview (and a job's forecast) reads. */
export interface PreviewDeps {
  stores: Pick<StoreSet, "sessions" | "grants" | "clients">;
  counter: SessionCounter;
  /** Up to this many matching sessions the preview is exact. */
  exactBound: number;
  /** Sessions read to estimate above the bound. */
  sampleSize: number;
}

/** How many sessions match a filter, and whether that is an estimate. */
export interface MatchCount {
  sessions: number;
  isEstimate: boolean;
}

const maxClientsListed = 1000;
const probes = 10;

/**
 * The number of matching sessions: exact up to the bound (a bounded index
 * count), above it the session counter's estimate (never a full count on
 * the request's path once a broad filter has been counted).
 */
export async function countMatching(deps: PreviewDeps, filter: SessionFilter): Promise<MatchCount> {
  const bounded = await deps.stores.sessions.count(filter, deps.exactBound + 1);
  if (bounded <= deps.exactBound) return { sessions: bounded, isEstimate: false };
  const counted = await deps.counter.count(filter);
  return { sessions: Math.max(counted.count, bounded), isEstimate: true };
}

/** Validates a termination's actions (defaults applied), naming fields under "actions.". */
export function actionsOf(message: TerminationActions | undefined): RemovalActions {
  return parseRemovalActions(message ?? { clientIds: [] }, "actions.");
}

/**
 * PreviewTermination: what a job would do, read only. Up to the bound every
 * matching session is read and its grants counted; above it, sessions are
 * sampled at evenly spaced points of the walk and the sample's figures
 * scaled to the estimated count, flagged as an estimate.
 */
export function createPreviewTermination(deps: PreviewDeps) {
  return async function previewTermination(request: PreviewTerminationRequest): Promise<PreviewTerminationResponse> {
    const filter = sessionFilterOf(request.filter, true);
    const actions = actionsOf(request.actions);
    const match = await countMatching(deps, filter);
    const sessions = match.isEstimate ? await sample(deps, filter) : await readAll(deps, filter);
    const scale = match.isEstimate && sessions.length > 0 ? match.sessions / sessions.length : 1;
    const { total, clients } = await tally(deps, sessions, actions);
    const scaled = (c: TerminationCounts) => ({
      sessions: BigInt(Math.round(c.sessions * scale)),
      tokens: BigInt(Math.round(c.tokens * scale)),
      consents: BigInt(Math.round(c.consents * scale)),
      notifications: BigInt(Math.round(c.notifications * scale)),
    });
    const listed = [...clients].sort(([a, x], [b, y]) => y.counts.sessions - x.counts.sessions || (a < b ? -1 : 1));
    return create(PreviewTerminationResponseSchema, {
      total: { ...scaled(total), sessions: BigInt(match.isEstimate ? match.sessions : sessions.length) },
      clients: listed.slice(0, maxClientsListed).map(([clientId, c]) => ({ clientId, figures: scaled(c.counts), notifiable: c.notifiable })),
      clientsTruncated: listed.length > maxClientsListed,
      isEstimate: match.isEstimate,
      exactBound: BigInt(deps.exactBound),
    });
  };
}

async function readAll(deps: PreviewDeps, filter: SessionFilter): Promise<StoredSession[]> {
  const all: StoredSession[] = [];
  let afterPk: number | undefined;
  for (;;) {
    const page = await deps.stores.sessions.findPage(filter, { direction: "forward", afterPk }, 1000);
    all.push(...page);
    if (page.length < 1000 || all.length > deps.exactBound) return all;
    afterPk = page.at(-1)!.pk;
  }
}

// Runs of sessions from evenly spaced points between the first and the last
// matching session, so that old and new sessions both count.
async function sample(deps: PreviewDeps, filter: SessionFilter): Promise<StoredSession[]> {
  const [first] = await deps.stores.sessions.findPage(filter, { direction: "forward" }, 1);
  const [last] = await deps.stores.sessions.findPage(filter, { direction: "backward", beforePk: Number.MAX_SAFE_INTEGER }, 1);
  if (first === undefined || last === undefined) return [];
  const run = Math.ceil(deps.sampleSize / probes);
  const byPk = new Map<number, StoredSession>();
  for (let i = 0; i < probes; i++) {
    const afterPk = first.pk - 1 + Math.floor(((last.pk - first.pk + 1) * i) / probes);
    for (const session of await deps.stores.sessions.findPage(filter, { direction: "forward", afterPk }, run)) byPk.set(session.pk, session);
  }
  return [...byPk.values()];
}

interface ClientTally {
  counts: TerminationCounts;
  notifiable: boolean;
}

// What terminating these sessions would do, in total and per client, as
// terminateSelected would do it (tokens by binding, consents per subject).
async function tally(deps: PreviewDeps, sessions: readonly StoredSession[], actions: RemovalActions) {
  const restrictTo = actions.clientIds && [...actions.clientIds];
  const clients = new Map<string, ClientTally>();
  const entry = (clientId: string) => {
    let found = clients.get(clientId);
    if (found === undefined) clients.set(clientId, (found = { counts: { ...noCounts }, notifiable: false }));
    return found;
  };
  for (const session of sessions) for (const clientId of new Set(session.clientIds)) entry(clientId).counts.sessions++;
  const total = { ...noCounts, sessions: sessions.length };
  const add = (field: "tokens" | "consents" | "notifications", byClient: Map<string, number>) => {
    for (const [clientId, n] of byClient) {
      entry(clientId).counts[field] += n;
      total[field] += n;
    }
  };
  if (actions.revokeTokens) add("tokens", await deps.stores.grants.countBoundTo(sessions, tokenGrantTypes, restrictTo));
  if (actions.revokeConsents) {
    const revocations = planConsentRevocations({ clientIds: actions.clientIds }, sessions);
    add("consents", await deps.stores.grants.countOfSubjects(revocations, [grantTypes.userConsent]));
  }
  if (actions.sendBackchannelLogoutNotification) {
    const candidates = [...clients.keys()].filter((c) => actions.clientIds?.has(c) ?? true);
    const notifiable = await deps.stores.clients.findNotifiable(candidates);
    for (const clientId of notifiable) if (clients.has(clientId)) entry(clientId).notifiable = true;
    const byClient = new Map<string, number>();
    for (const n of planNotifications(sessions, actions.clientIds, notifiable, "admin_removal")) byClient.set(n.clientId, (byClient.get(n.clientId) ?? 0) + 1);
    add("notifications", byClient);
  }
  return { total, clients };
}
