import { invalidArgument } from "./errors.js";
import { limits } from "./limits.js";
import type { NotificationStatus } from "./notification-status.js";
import { optionalTextField } from "./text-field.js";

/**
 * A validated ListNotifications filter. Absent fields do not filter; present
 * ones combine with AND. The creation range is half-open: [from, to).
 */
export interface NotificationFilter {
  status?: NotificationStatus;
  clientId?: string;
  subjectId?: string;
  sessionId?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

/** The filter fields of a ListNotifications request. */
export interface NotificationFilterInput {
  status?: NotificationStatus;
  clientId: string;
  subjectId: string;
  sessionId: string;
  /** Already checked to be a valid time (see time-field.ts). */
  startTime?: Date;
  endTime?: Date;
}

/** Validates the filter fields; throws invalid_argument naming the field. */
export function parseNotificationFilter(input: NotificationFilterInput): NotificationFilter {
  const createdFrom = input.startTime;
  const createdTo = input.endTime;
  if (createdFrom !== undefined && createdTo !== undefined && createdTo <= createdFrom) {
    throw invalidArgument("end_time", "must be after start_time");
  }
  return {
    status: input.status,
    clientId: optionalTextField("client_id", input.clientId, limits.identifier),
    subjectId: optionalTextField("subject_id", input.subjectId, limits.identifier),
    sessionId: optionalTextField("session_id", input.sessionId, limits.identifier),
    createdFrom,
    createdTo,
  };
}

/** A stable string for the filter, used to bind page tokens. */
export function notificationFilterKey(filter: NotificationFilter): string {
  return JSON.stringify([
    "notifications",
    filter.status,
    filter.clientId,
    filter.subjectId,
    filter.sessionId,
    filter.createdFrom?.getTime(),
    filter.createdTo?.getTime(),
  ]);
}
