import { listAudit } from "./audit.js";
import { applyClients, deleteClient, getClient, listClients, putClient } from "./clients.js";
import type { Command } from "./command.js";
import { listNotifications, retryNotifications } from "./notifications.js";
import { listSessions, removeSessions } from "./sessions.js";

/** Every sessionctl command, in the order --help lists them. */
export const commands: readonly Command[] = [
  listSessions,
  removeSessions,
  listClients,
  getClient,
  putClient,
  deleteClient,
  applyClients,
  listNotifications,
  retryNotifications,
  listAudit,
];
