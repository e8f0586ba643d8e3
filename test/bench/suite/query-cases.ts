import { createPageTokenCodec } from "../../../src/domain/page-token.js";
import {
  parseSessionFilter,
  sessionFilterKey,
  type SessionFilter,
  type SessionFilterInput,
  type SessionOrder,
  type TimeRange,
} from "../../../src/domain/session-filter.js";
import { neverExpires, sessionWalkOf } from "../../../src/domain/session-walk.js";
import type { PageCursor } from "../../../src/store/page-cursor.js";
import type { Message } from "../../support/grpc-client.js";
import type { SessionSamples } from "../sample-sessions.js";

/**
 * Where a page request starts: the first page, the page after a row, or the
 * page before one; on a walk over a time index (see sessionWalkOf) `value` is
 * that row's time in milliseconds.
 */
export type Position =
  | { kind: "first" }
  | { kind: "next"; afterPk: number; page: number; value?: number }
  | { kind: "prior"; beforePk: number; page: number; value?: number };

/** One QuerySessions request, described once and issued by every target. */
export interface QueryCase {
  name: string;
  /** What a reader needs to know about it (values, how many match). */
  detail: string;
  input: SessionFilterInput;
  filter: SessionFilter;
  position: Position;
  /** Unset: oldest first. */
  order?: SessionOrder;
  /** Uses a filter Duende's query has no equivalent of. */
  newer?: boolean;
}

/** The request fields of a filter; unset ones empty, as proto3 sends them. */
function filterInput(fields: Partial<SessionFilterInput>): SessionFilterInput {
  return { subjectId: "", sessionId: "", displayName: "", clientId: "", ...fields };
}

/** The read cases of the suite, with real values from the dataset. */
export function queryCases(samples: SessionSamples, pageSize: number): Record<string, QueryCase> {
  const { total, middle, deep, popularClient, rareClient } = samples;
  const make = (name: string, detail: string, fields: Partial<SessionFilterInput>, position: Position = { kind: "first" }): QueryCase => {
    const input = filterInput(fields);
    return { name, detail, input, filter: parseSessionFilter(input), position };
  };
  const deepPage = Math.floor((total * 0.9) / pageSize);
  const middlePage = Math.floor((total * 0.5) / pageSize) + 1;
  return {
    firstPage: make("first page", "no filter", {}),
    nextPage90: make("next page at 90% depth", `page ${deepPage + 1}`, {}, { kind: "next", afterPk: deep.pk, page: deepPage }),
    priorPage50: make("prior page at 50% depth", `page ${middlePage - 1}`, {}, { kind: "prior", beforePk: middle.pk, page: middlePage }),
    subject: make("subject id", middle.subjectId, { subjectId: middle.subjectId }),
    sessionId: make("session id", middle.sessionId, { sessionId: middle.sessionId }),
    displayNameSelective: make("display-name prefix, selective", `"${middle.displayName}"`, { displayName: middle.displayName }),
    displayNameBroad: make("display-name prefix, broad", `"${middle.displayName[0]}"`, { displayName: middle.displayName[0]! }),
    clientPopular: make("client filter, popular", `${popularClient.clientId} (${popularClient.sessions} sessions)`, { clientId: popularClient.clientId }),
    clientRare: make("client filter, rare", `${rareClient.clientId} (${rareClient.sessions} sessions)`, { clientId: rareClient.clientId }),
    ...newerCases(samples, make, deepPage),
  };
}

type Make = (name: string, detail: string, fields: Partial<SessionFilterInput>, position?: Position) => QueryCase;

// The newer filters and the newest-first order, each on its own access path.
function newerCases(samples: SessionSamples, make: Make, deepPage: number): Record<string, QueryCase> {
  const { middle, times, middleIp } = samples;
  const hour = 3_600_000;
  const at = (base: Date, hours: number) => new Date(base.getTime() + hours * hour);
  const newer = (c: QueryCase, order?: SessionOrder): QueryCase => ({ ...c, newer: true, ...(order && { order }) });
  const day: TimeRange = { from: at(times.middleCreated, -12), to: at(times.middleCreated, 12) };
  const block = middleIp === undefined ? undefined : middleIp.includes(":") ? `${middleIp.split(":").slice(0, 2).join(":")}::/32` : `${middleIp.split(".").slice(0, 2).join(".")}.0.0/16`;
  const cases: Record<string, QueryCase> = {
    newestFirst: newer(make("newest first, first page", "no filter", {}), "newest_first"),
    newestNext90: newer(make("newest first, next page at about 80% depth", `page ${deepPage + 1}`, {}, { kind: "next", afterPk: middle.pk - Math.round(0.8 * (samples.deep.pk - middle.pk)) - 1, page: deepPage }), "newest_first"),
    createdLastDay: newer(make("created in the last 24 h, newest first", "walks created", { created: { from: at(times.latestCreated, -24) } }), "newest_first"),
    createdDayMiddle: newer(make("created within a day at 50% depth", "walks created", { created: day })),
    // Ranges alone at 50% depth walk their column's index (see sessionWalkOf).
    createdDayMiddleNewest: newer(make("created within a day at 50% depth, newest first", "walks created", { created: day }), "newest_first"),
    createdDayMiddleNext: newer(
      make("created within a day at 50% depth, next page from its middle", "walks created", { created: day }, { kind: "next", afterPk: middle.pk, page: 2, value: times.middleCreated.getTime() }),
    ),
    renewedLastHourOldest: newer(make("renewed in the last hour, oldest first", "walks renewed", { renewed: { from: at(times.latestCreated, -1) } })),
    expiredNewest: newer(make("expired, newest first", "walks expires", { state: "expired" }), "newest_first"),
    renewedLastHour: newer(make("renewed in the last hour, newest first", "walks renewed", { renewed: { from: at(times.latestCreated, -1) } }), "newest_first"),
    active: newer(
      make("active, next page from the session at 90% depth", "walks expires", { state: "active" }, {
        kind: "next",
        afterPk: samples.deep.pk,
        page: deepPage,
        value: times.deepExpires?.getTime() ?? neverExpires,
      }),
    ),
    expired: newer(make("expired", "walks expires; few: the sweeper removes them", { state: "expired" })),
    issuer: newer(make("issuer, next page at 90% depth", "every session", { issuer: "https://idp.example.com" }, { kind: "next", afterPk: samples.deep.pk, page: deepPage })),
  };
  if (middleIp !== undefined && block !== undefined) {
    cases.ipExact = newer(make("sign-in address", middleIp, { ipAddress: middleIp }));
    cases.ipBlock = newer(make("sign-in CIDR block, newest first", block, { ipAddress: block }), "newest_first");
  }
  return cases;
}

/** The store cursor the service derives from a case's position (see readKeysetPage). */
export function cursorOf(position: Position, order?: SessionOrder): PageCursor {
  const valued = (cursor: PageCursor): PageCursor =>
    position.kind === "first" || position.value === undefined
      ? cursor
      : cursor.direction === "forward"
        ? { ...cursor, afterValue: position.value }
        : { ...cursor, beforeValue: position.value };
  if (order === "newest_first") {
    // The same walk read backwards (see session-page.ts).
    if (position.kind === "next") return valued({ direction: "backward", beforePk: position.afterPk });
    if (position.kind === "prior") return valued({ direction: "forward", afterPk: position.beforePk });
    return { direction: "backward", beforePk: Number.MAX_SAFE_INTEGER };
  }
  if (position.kind === "next") return valued({ direction: "forward", afterPk: position.afterPk });
  if (position.kind === "prior") return valued({ direction: "backward", beforePk: position.beforePk });
  return { direction: "forward" };
}

/**
 * Builds the gRPC request of a case. Page tokens are signed with the
 * secret the server was started with, for the page that ends just before
 * (or starts just after) the position's row.
 */
export function requestBuilder(pageTokenSecret: string, pageSize: number) {
  const codec = createPageTokenCodec(Buffer.from(pageTokenSecret));
  return (c: QueryCase): Message => {
    const request: Message = {
      count_requested: pageSize,
      subject_id: c.input.subjectId,
      session_id: c.input.sessionId,
      display_name: c.input.displayName,
      client_id: c.input.clientId,
      ...newerFields(c),
    };
    if (c.position.kind === "first") return request;
    const raw = c.position.kind === "next" ? c.position.afterPk : c.position.beforePk;
    // A newest-first walk's positions count down from the top, and its times are negated (see session-page.ts).
    const newest = c.order === "newest_first";
    const pk = newest ? Number.MAX_SAFE_INTEGER - raw : raw;
    const walk = sessionWalkOf(c.filter);
    const binding = `${sessionFilterKey(c.filter)}|${pageSize}${newest ? "|newest" : ""}${walk === "id" ? "" : `|walk:${walk}`}`;
    const value = c.position.value === undefined ? undefined : newest ? -c.position.value : c.position.value;
    const values = value === undefined ? {} : { firstValue: value, lastValue: value };
    request.results_token = codec.encode({ firstPk: pk, lastPk: pk, page: c.position.page, ...values }, binding);
    request.request_prior_results = c.position.kind === "prior";
    return request;
  };
}

// The newer request fields as @grpc/proto-loader takes them.
function newerFields(c: QueryCase): Message {
  const ts = (d: Date | undefined) => d && { seconds: String(Math.floor(d.getTime() / 1000)), nanos: (d.getTime() % 1000) * 1e6 };
  const range = (r: TimeRange | undefined) => r && { from: ts(r.from), to: ts(r.to) };
  return {
    created: range(c.input.created),
    renewed: range(c.input.renewed),
    expires: range(c.input.expires),
    state: c.input.state === undefined ? "SESSION_STATE_UNSPECIFIED" : `SESSION_STATE_${c.input.state.toUpperCase()}`,
    issuer: c.input.issuer ?? "",
    ip_address: c.input.ipAddress ?? "",
    order: c.order === "newest_first" ? "SESSION_ORDER_NEWEST_FIRST" : "SESSION_ORDER_OLDEST_FIRST",
  };
}
