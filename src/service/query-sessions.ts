import { create } from "@bufbuild/protobuf";
import {
  QuerySessionsResponseSchema,
  type QuerySessionsRequest,
  type QuerySessionsResponse,
} from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { invalidArgument } from "../domain/errors.js";
import { limits } from "../domain/limits.js";
import { totalPages } from "../domain/page-totals.js";
import type { PagePosition, PageTokenCodec } from "../domain/page-token.js";
import { resolvePageSize } from "../domain/page-size.js";
import { sessionFilterKey } from "../domain/session-filter.js";
import { sessionWalkOf, type SessionWalk } from "../domain/session-walk.js";
import type { SessionStore } from "../store/session-store.js";
import type { SessionCounter } from "./session-counter.js";
import { readSessionPage } from "./session-page.js";
import { sessionFilterOf, sessionOrderOf } from "./session-query.js";
import { toUserSession } from "./user-session.js";

/** What QuerySessions needs. */
export interface QuerySessionsDeps {
  sessions: SessionStore;
  pageTokens: PageTokenCodec;
  counter: SessionCounter;
}

/** QuerySessions: validate, verify the token, read one keyset page, count, map. */
export function createQuerySessions(deps: QuerySessionsDeps) {
  return async function querySessions(request: QuerySessionsRequest, signal: AbortSignal): Promise<QuerySessionsResponse> {
    const pageSize = resolvePageSize(request.countRequested);
    const filter = { ...sessionFilterOf(request), now: new Date() };
    const order = sessionOrderOf(request);
    const walk = sessionWalkOf(filter);
    // Oldest-first tokens of walks in recording order keep the binding they always had.
    const idBinding = `${sessionFilterKey(filter)}|${pageSize}${order === "newest_first" ? "|newest" : ""}`;
    const binding = walk === "id" ? idBinding : `${idBinding}|walk:${walk}`;
    const position = request.resultsToken === "" ? undefined : verifyToken(deps.pageTokens, request.resultsToken, binding, walk, idBinding);

    // The count does not depend on the page: run both at once (on MySQL they
    // use two pooled connections, so latency is the slower of the two).
    const counting = deps.counter.count(filter);
    counting.catch(() => undefined); // awaited below unless the page read fails first
    const page = await readSessionPage(deps.sessions, filter, pageSize, position, request.requestPriorResults, undefined, order, walk);
    // Nothing matches. (Past the end of a walk over matching sessions the page
    // is empty too, but keeps its totals and a token back to the last page.)
    if (page.position === undefined) {
      return create(QuerySessionsResponseSchema, { totalCount: 0, totalPages: 0, currentPage: 0 });
    }
    signal.throwIfAborted();
    const total = await counting;
    return create(QuerySessionsResponseSchema, {
      results: page.sessions.map((session) => toUserSession(session, filter.now)),
      resultsToken: deps.pageTokens.encode(page.position, binding),
      hasPrevResults: page.hasPrev,
      hasNextResults: page.hasNext,
      totalCount: total.count,
      totalPages: totalPages(total.count, pageSize),
      currentPage: page.page,
      totalCountIsEstimate: total.estimate,
    });
  };
}

// A token of a walk over a time index carries the values of that column; one
// issued before such filters walked that index (a walk in recording order)
// cannot continue it and is refused saying so.
function verifyToken(codec: PageTokenCodec, token: string, binding: string, walk: SessionWalk, idBinding: string): PagePosition {
  if (token.length > limits.resultsToken) throw invalidArgument("results_token", "is not a valid results token");
  const decoded = codec.decode(token, binding);
  if (decoded.error !== undefined) {
    if (walk !== "id" && codec.decode(token, idBinding).error === undefined) {
      throw invalidArgument(
        "results_token",
        `was issued for a walk in recording order; this filter now walks sessions in ${walk} order: query again without a token`,
      );
    }
    throw invalidArgument("results_token", decoded.error);
  }
  const valued = decoded.position.firstValue !== undefined;
  if (valued !== (walk !== "id")) throw invalidArgument("results_token", "was issued for a different filter or page size");
  return decoded.position;
}
