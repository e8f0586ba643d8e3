import {
  LogoutNotificationSchema,
  NotificationStatus,
  RetryNotificationsResponseSchema,
  TerminationReason,
  type LogoutNotification,
} from "../../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { flag, stringValue, type Command } from "./command.js";
import { ExitCode, UsageError } from "./errors.js";
import { formatTime, orDash, plural, writeJsonLine, writeTable, type Column } from "./output.js";
import { noteMore, pagingOptions, walkPages } from "./paging.js";

const statuses: Record<string, NotificationStatus> = {
  pending: NotificationStatus.PENDING,
  failed: NotificationStatus.FAILED,
  delivered: NotificationStatus.DELIVERED,
  dead: NotificationStatus.DEAD,
};

function statusName(status: NotificationStatus): string {
  return Object.entries(statuses).find(([, value]) => value === status)?.[0] ?? "-";
}

function reasonName(reason: TerminationReason): string {
  const name = TerminationReason[reason];
  return reason === TerminationReason.UNSPECIFIED || name === undefined ? "-" : name.toLowerCase().replace(/_/g, " ");
}

const notificationColumns: Column<LogoutNotification>[] = [
  { title: "id", cell: (n) => n.notificationId.toString() },
  { title: "status", cell: (n) => statusName(n.status) },
  { title: "client", cell: (n) => n.clientId },
  { title: "subject", cell: (n) => n.subjectId },
  { title: "session id", cell: (n) => orDash(n.sessionId) },
  { title: "reason", cell: (n) => reasonName(n.reason) },
  { title: "attempts", cell: (n) => String(n.attempts) },
  { title: "created", cell: (n) => formatTime(n.createTime) },
  { title: "next attempt", cell: (n) => formatTime(n.nextAttemptTime) },
  { title: "last error", cell: (n) => [n.lastStatusCode !== undefined ? `HTTP ${n.lastStatusCode}` : "", n.lastError].filter(Boolean).join(": ") || "-" },
];

/** `notifications list`: back-channel logout notifications and where they stand. */
export const listNotifications: Command = {
  group: "notifications",
  name: "list",
  summary: "list back-channel logout notifications, in the order they were queued",
  usage: "",
  options: {
    status: { type: "string", value: "STATUS", description: "only pending, failed, delivered or dead ones" },
    client: { type: "string", value: "ID", description: "only those for this client" },
    subject: { type: "string", value: "ID", description: "only those for this subject" },
    session: { type: "string", value: "SID", description: "only those for this session id" },
    ...pagingOptions,
  },
  async run(context) {
    const statusText = stringValue(context, "status");
    const status = statusText === undefined ? NotificationStatus.UNSPECIFIED : statuses[statusText.toLowerCase()];
    if (status === undefined) throw new UsageError(`--status: must be one of ${Object.keys(statuses).join(", ")}`);
    const filter = {
      status,
      clientId: stringValue(context, "client") ?? "",
      subjectId: stringValue(context, "subject") ?? "",
      sessionId: stringValue(context, "session") ?? "",
    };
    const walk = await walkPages(context, (countRequested, resultsToken) =>
      context.services().notifications.listNotifications({ ...filter, countRequested, resultsToken }),
    );
    if (flag(context, "json")) for (const notification of walk.rows) writeJsonLine(context.stdout, LogoutNotificationSchema, notification);
    else writeTable(context.stdout, notificationColumns, walk.rows);
    noteMore(context, walk);
    return ExitCode.ok;
  },
};

/** `notifications retry ID...`: puts failed and dead notifications back in the queue. */
export const retryNotifications: Command = {
  group: "notifications",
  name: "retry",
  summary: "retry failed and dead notifications now, with a fresh retry schedule",
  usage: "ID...",
  details: ["Other notifications and unknown ids are left alone; the count says how many were put back."],
  options: { json: { type: "boolean", description: "print the result as JSON" } },
  async run(context) {
    if (context.args.length === 0) throw new UsageError("name the notifications to retry: sessionctl notifications retry ID...");
    if (context.args.length > 1000) throw new UsageError("at most 1000 notifications per call");
    const ids = context.args.map((arg) => {
      if (!/^\d{1,19}$/.test(arg)) throw new UsageError(`"${arg}" is not a notification id (a whole number)`);
      return BigInt(arg);
    });
    const outcome = await context.services().notifications.retryNotifications({ notificationIds: ids });
    if (flag(context, "json")) writeJsonLine(context.stdout, RetryNotificationsResponseSchema, outcome);
    else context.stdout.write(`${plural(outcome.notificationsRetried, "notification")} of ${ids.length} put back as pending\n`);
    return ExitCode.ok;
  },
};
