import { listAudit } from "./audit.js";
import { applyClients, deleteClient, getClient, listClients, putClient } from "./clients.js";
import type { Command } from "./command.js";
import { listNotifications, retryNotifications } from "./notifications.js";
import { exportSessions } from "./export.js";
import { cancelJob, getJob, listJobs, watchJobCommand } from "./jobs.js";
import { listSessions, removeSessions } from "./sessions.js";

/** Every sessionctl command, in the order --help lists them. */
export const commands: readonly Command[] = [
  listSessions,
  removeSessions,
  exportSessions,
  listClients,
  getClient,
  putClient,
  deleteClient,
  applyClients,
  listNotifications,
  retryNotifications,
  listAudit,
  listJobs,
  getJob,
  watchJobCommand,
  cancelJob,
];
