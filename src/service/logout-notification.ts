import { create } from "@bufbuild/protobuf";
import {
  LogoutNotificationSchema,
  NotificationStatus as ProtoStatus,
  TerminationReason as ProtoReason,
  type LogoutNotification,
} from "../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { invalidArgument } from "../domain/errors.js";
import type { NotificationStatus } from "../domain/notification-status.js";
import type { TerminationReason } from "../domain/termination-plan.js";
import type { OutboxNotification } from "../store/notification-outbox.js";
import { timestampOf } from "./timestamps.js";

const statuses: Record<NotificationStatus, ProtoStatus> = {
  pending: ProtoStatus.PENDING,
  failed: ProtoStatus.FAILED,
  delivered: ProtoStatus.DELIVERED,
  dead: ProtoStatus.DEAD,
};

const reasons: Record<TerminationReason, ProtoReason> = {
  admin_removal: ProtoReason.ADMIN_REMOVAL,
  user_logout: ProtoReason.USER_LOGOUT,
  expired: ProtoReason.EXPIRED,
};

/** A request's status filter: undefined for UNSPECIFIED (any status); unknown values are invalid_argument. */
export function statusFilterOf(status: ProtoStatus): NotificationStatus | undefined {
  if (status === ProtoStatus.UNSPECIFIED) return undefined;
  const found = (Object.keys(statuses) as NotificationStatus[]).find((key) => statuses[key] === status);
  if (found === undefined) throw invalidArgument("status", "is not a known notification status");
  return found;
}

/** The API form of an outbox row. */
export function toLogoutNotification(notification: OutboxNotification): LogoutNotification {
  return create(LogoutNotificationSchema, {
    notificationId: BigInt(notification.id),
    clientId: notification.clientId,
    subjectId: notification.subjectId,
    sessionId: notification.sessionId ?? "",
    issuer: notification.issuer ?? "",
    reason: reasons[notification.reason] ?? ProtoReason.UNSPECIFIED,
    status: statuses[notification.status],
    attempts: notification.attempts,
    lastStatusCode: notification.lastStatusCode,
    lastError: notification.lastError ?? "",
    createTime: timestampOf(notification.created),
    lastAttemptTime: timestampOf(notification.lastAttemptAt),
    nextAttemptTime: timestampOf(notification.nextAttemptAt),
    deliveryTime: timestampOf(notification.deliveredAt),
  });
}
