import { create } from "@bufbuild/protobuf";
import {
  ListNotificationsResponseSchema,
  type ListNotificationsRequest,
  type ListNotificationsResponse,
} from "../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { notificationFilterKey, parseNotificationFilter } from "../domain/notification-filter.js";
import type { PageTokenCodec } from "../domain/page-token.js";
import type { NotificationOutbox } from "../store/notification-outbox.js";
import { readKeysetPage } from "./keyset-page.js";
import { statusFilterOf, toLogoutNotification } from "./logout-notification.js";
import { pageResponseFields, readPageRequest } from "./page-request.js";
import { dateOf } from "./timestamps.js";

/** What ListNotifications needs. */
export interface ListNotificationsDeps {
  stores: { outbox: NotificationOutbox };
  pageTokens: PageTokenCodec;
}

/** ListNotifications: validate, verify the token (bound to this list and filter), read one keyset page, map. */
export function createListNotifications(deps: ListNotificationsDeps) {
  const { outbox } = deps.stores;
  return async function listNotifications(request: ListNotificationsRequest, signal: AbortSignal): Promise<ListNotificationsResponse> {
    const filter = parseNotificationFilter({
      status: statusFilterOf(request.status),
      clientId: request.clientId,
      subjectId: request.subjectId,
      sessionId: request.sessionId,
      startTime: dateOf("start_time", request.startTime),
      endTime: dateOf("end_time", request.endTime),
    });
    const paging = readPageRequest(deps.pageTokens, request, (size) => `${notificationFilterKey(filter)}|${size}`);
    const withPk = (rows: Awaited<ReturnType<NotificationOutbox["findPage"]>>) => rows.map((row) => ({ ...row, pk: row.id }));
    const page = await readKeysetPage(
      {
        findPage: async (cursor, limit) => withPk(await outbox.findPage(filter, cursor, limit)),
        existsBeyond: (cursor) => outbox.existsBeyond(filter, cursor),
      },
      paging.size,
      paging.position,
      paging.prior,
    );
    signal.throwIfAborted();
    return create(ListNotificationsResponseSchema, {
      results: page.rows.map(toLogoutNotification),
      ...pageResponseFields(deps.pageTokens, paging, page),
    });
  };
}
