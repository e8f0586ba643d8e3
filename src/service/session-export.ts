import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { ExportSessionsResponseSchema, SessionExport, type ExportSessionsRequest } from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { invalidArgument } from "../domain/errors.js";
import { limits } from "../domain/limits.js";
import type { PageTokenCodec } from "../domain/page-token.js";
import { sessionFilterKey } from "../domain/session-filter.js";
import type { SessionStore } from "../store/session-store.js";
import { sessionFilterOf } from "./job-filter.js";
import { toUserSession } from "./user-session.js";

/** What ExportSessions needs. */
export interface SessionExportDeps {
  sessions: Pick<SessionStore, "findPage">;
  pageTokens: PageTokenCodec;
}

const defaultBatch = 500;
const maxBatch = 1000;

/**
 * Registers SessionExport. The export is a keyset walk in insertion order,
 * one batch read per message: the generator reads the next batch only when
 * the framework asks for the next message, which it does once the last one
 * is written to the stream (HTTP/2 flow control holds it while the client
 * does not read), so the server holds one batch whatever the export's size.
 * The resume token is a signed page token bound to the filter.
 */
export function registerSessionExport(router: ConnectRouter, deps: SessionExportDeps): void {
  router.service(SessionExport, {
    exportSessions: (request, context) => exportSessions(deps, request, context.signal),
  });
}

async function* exportSessions(deps: SessionExportDeps, request: ExportSessionsRequest, signal: AbortSignal) {
  const filter = sessionFilterOf(request.filter, false);
  if (!Number.isInteger(request.batchSize) || request.batchSize < 0) throw invalidArgument("batch_size", "must not be negative");
  const size = Math.min(request.batchSize || defaultBatch, maxBatch);
  const binding = `export|${sessionFilterKey(filter)}`;
  let afterPk: number | undefined;
  let page = 0;
  if (request.resumeToken !== "") {
    const decoded =
      request.resumeToken.length > limits.resultsToken ? { error: "is not a valid resume token" } : deps.pageTokens.decode(request.resumeToken, binding);
    if (decoded.error !== undefined) {
      throw invalidArgument("resume_token", decoded.error.includes("different") ? "was issued for an export with a different filter" : "is not a valid resume token");
    }
    afterPk = decoded.position.lastPk;
    page = decoded.position.page;
  }
  for (;;) {
    signal.throwIfAborted();
    const sessions = await deps.sessions.findPage(filter, { direction: "forward", afterPk }, size);
    if (sessions.length === 0) return;
    page++;
    afterPk = sessions.at(-1)!.pk;
    const now = new Date();
    yield create(ExportSessionsResponseSchema, {
      sessions: sessions.map((session) => toUserSession(session, now)),
      resumeToken: deps.pageTokens.encode({ firstPk: sessions[0]!.pk, lastPk: afterPk, page }, binding),
    });
    if (sessions.length < size) return;
  }
}
