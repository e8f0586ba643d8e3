import { create } from "@bufbuild/protobuf";
import { GetSessionsResponseSchema, type GetSessionsRequest, type GetSessionsResponse } from "../../gen/ts/sessionmanagement/v1/session_store_pb.js";
import { maxPayloadPageSize } from "../domain/page-size.js";
import type { PageTokenCodec } from "../domain/page-token.js";
import { sessionFilterKey } from "../domain/session-filter.js";
import { parseSessionSelector } from "../domain/session-input.js";
import type { SessionStore } from "../store/session-store.js";
import { pageResponseFields, readPageRequest } from "./page-request.js";
import { toServerSideSession } from "./server-side-session.js";
import { readSessionPage } from "./session-page.js";

/** What GetSessions needs. */
export interface GetSessionsDeps {
  stores: { sessions: SessionStore };
  pageTokens: PageTokenCodec;
}

/**
 * GetSessions: the sessions of a subject and/or with a session id, a keyset
 * page at a time with the tickets read for that page only. Its tokens carry
 * their own prefix, so QuerySessions tokens are not accepted here.
 */
export function createGetSessions(deps: GetSessionsDeps) {
  const { sessions } = deps.stores;
  return async function getSessions(request: GetSessionsRequest, signal: AbortSignal): Promise<GetSessionsResponse> {
    const filter = parseSessionSelector(request);
    const paging = readPageRequest(deps.pageTokens, request, (size) => `session-store|${sessionFilterKey(filter)}|${size}`, maxPayloadPageSize);
    const page = await readSessionPage(sessions, filter, paging.size, paging.position, paging.prior);
    signal.throwIfAborted();
    const tickets = await sessions.ticketsOf(page.sessions.map((s) => s.pk));
    // A session deleted between the two reads is left out rather than shown without its ticket.
    const rows = page.sessions.filter((s) => tickets.has(s.pk));
    return create(GetSessionsResponseSchema, {
      results: rows.map((s) => toServerSideSession(s, tickets.get(s.pk)!)),
      ...pageResponseFields(deps.pageTokens, paging, { ...page, rows }),
    });
  };
}
