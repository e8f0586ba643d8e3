import { create, toBinary } from "@bufbuild/protobuf";
import {
  GetSessionsResponseSchema,
  ServerSideSessionSchema,
  type GetSessionsRequest,
  type GetSessionsResponse,
} from "../../gen/ts/sessionmanagement/v1/session_store_pb.js";
import { maxPayloadPageSize } from "../domain/page-size.js";
import type { PageTokenCodec } from "../domain/page-token.js";
import type { StoredSession } from "../domain/session.js";
import { sessionFilterKey } from "../domain/session-filter.js";
import { parseSessionSelector } from "../domain/session-input.js";
import type { SessionStore } from "../store/session-store.js";
import { budgetFit, rowOverheadBytes } from "./page-budget.js";
import { pageResponseFields, readPageRequest } from "./page-request.js";
import { toServerSideSession } from "./server-side-session.js";
import { readSessionPage } from "./session-page.js";

/** What GetSessions needs. */
export interface GetSessionsDeps {
  stores: { sessions: SessionStore };
  pageTokens: PageTokenCodec;
  /** What one page may hold, in bytes of encoded sessions (see PayloadLimits). */
  pageBytes: number;
}

const noTicket = new Uint8Array(0);

/**
 * GetSessions: the sessions of a subject and/or with a session id, a keyset
 * page at a time with the tickets read for that page only. A page holds at
 * most `count_requested` sessions and at most `pageBytes`: the tickets' sizes
 * are read first, and a page of large tickets ends early, whatever the
 * tickets stored before limits applied. Its tokens carry their own prefix, so
 * QuerySessions tokens are not accepted here.
 */
export function createGetSessions(deps: GetSessionsDeps) {
  const { sessions } = deps.stores;
  const sizesOf = async (rows: readonly StoredSession[]) => {
    const tickets = await sessions.ticketSizesOf(rows.map((s) => s.pk));
    return rows.map((s) => toBinary(ServerSideSessionSchema, toServerSideSession(s, noTicket)).byteLength + (tickets.get(s.pk) ?? 0) + rowOverheadBytes);
  };
  return async function getSessions(request: GetSessionsRequest, signal: AbortSignal): Promise<GetSessionsResponse> {
    const filter = parseSessionSelector(request);
    const paging = readPageRequest(deps.pageTokens, request, (size) => `session-store|${sessionFilterKey(filter)}|${size}`, maxPayloadPageSize);
    const page = await readSessionPage(sessions, filter, paging.size, paging.position, paging.prior, budgetFit(deps.pageBytes, sizesOf));
    signal.throwIfAborted();
    const tickets = await sessions.ticketsOf(page.sessions.map((s) => s.pk));
    // A session deleted between the reads is left out rather than shown without its ticket.
    const rows = page.sessions.filter((s) => tickets.has(s.pk));
    return create(GetSessionsResponseSchema, {
      results: rows.map((s) => toServerSideSession(s, tickets.get(s.pk)!)),
      ...pageResponseFields(deps.pageTokens, paging, { ...page, rows }),
    });
  };
}
