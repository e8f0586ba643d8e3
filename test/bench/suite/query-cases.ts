import { createPageTokenCodec } from "../../../src/domain/page-token.js";
import { parseSessionFilter, sessionFilterKey, type SessionFilter, type SessionFilterInput } from "../../../src/domain/session-filter.js";
import type { PageCursor } from "../../../src/store/page-cursor.js";
import type { Message } from "../../support/grpc-client.js";
import type { SessionSamples } from "../sample-sessions.js";

/** Where a page request starts: the first page, the page after a row, or the page before one. */
export type Position = { kind: "first" } | { kind: "next"; afterPk: number; page: number } | { kind: "prior"; beforePk: number; page: number };

/** One QuerySessions request, described once and issued by every target. */
export interface QueryCase {
  name: string;
  /** What a reader needs to know about it (values, how many match). */
  detail: string;
  input: SessionFilterInput;
  filter: SessionFilter;
  position: Position;
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
  };
}

/** The store cursor the service derives from a case's position (see readKeysetPage). */
export function cursorOf(position: Position): PageCursor {
  if (position.kind === "next") return { direction: "forward", afterPk: position.afterPk };
  if (position.kind === "prior") return { direction: "backward", beforePk: position.beforePk };
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
    };
    if (c.position.kind === "first") return request;
    const pk = c.position.kind === "next" ? c.position.afterPk : c.position.beforePk;
    request.results_token = codec.encode({ firstPk: pk, lastPk: pk, page: c.position.page }, `${sessionFilterKey(c.filter)}|${pageSize}`);
    request.request_prior_results = c.position.kind === "prior";
    return request;
  };
}
