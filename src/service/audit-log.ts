import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  AuditLog as AuditLogService,
  ListAuditEventsResponseSchema,
  type ListAuditEventsRequest,
} from "../../gen/ts/sessionmanagement/v1/audit_log_pb.js";
import { invalidArgument } from "../domain/errors.js";
import { limits } from "../domain/limits.js";
import type { PageTokenCodec } from "../domain/page-token.js";
import { resolvePageSize } from "../domain/page-size.js";
import { optionalTextField } from "../domain/text-field.js";
import type { AuditFilter, AuditLog } from "../store/audit-log.js";
import { readKeysetPage } from "./keyset-page.js";

/** Registers AuditLog: the audit trail, read back page by page. */
export function registerAuditLog(router: ConnectRouter, deps: { audit: AuditLog; pageTokens: PageTokenCodec }): void {
  router.service(AuditLogService, {
    async listAuditEvents(request) {
      const size = resolvePageSize(request.countRequested);
      const filter = parseAuditFilter(request);
      const binding = `audit|${JSON.stringify([filter.principalId, filter.method, filter.from?.getTime(), filter.to?.getTime()])}|${size}`;
      let position;
      if (request.resultsToken !== "") {
        const decoded =
          request.resultsToken.length > limits.resultsToken
            ? { error: "is not a valid results token" }
            : deps.pageTokens.decode(request.resultsToken, binding);
        if (decoded.error !== undefined) throw invalidArgument("results_token", decoded.error);
        position = decoded.position;
      }
      const page = await readKeysetPage(
        {
          findPage: (cursor, limit) => deps.audit.findPage(filter, cursor, limit),
          existsBeyond: (cursor) => deps.audit.existsBeyond(filter, cursor),
        },
        size,
        position,
        request.requestPriorResults,
      );
      if (page.rows.length === 0) return create(ListAuditEventsResponseSchema, {});
      return create(ListAuditEventsResponseSchema, {
        events: page.rows.map((event) => ({
          id: BigInt(event.pk),
          time: timestampFromDate(event.at),
          principalId: event.principalId,
          method: event.method,
          requestJson: event.requestJson,
          code: event.code,
          outcomeJson: event.outcomeJson ?? "",
        })),
        resultsToken: deps.pageTokens.encode({ firstPk: page.rows[0]!.pk, lastPk: page.rows.at(-1)!.pk, page: page.page }, binding),
        hasPrevResults: page.hasPrev,
        hasNextResults: page.hasNext,
      });
    },
  });
}

function parseAuditFilter(request: ListAuditEventsRequest): AuditFilter {
  const from = request.startTime && timestampDate(request.startTime);
  const to = request.endTime && timestampDate(request.endTime);
  if (from !== undefined && to !== undefined && from >= to) throw invalidArgument("end_time", "must be after start_time");
  return {
    principalId: optionalTextField("principal_id", request.principalId, 300),
    method: optionalTextField("method", request.method, 200),
    from,
    to,
  };
}
