import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  CreateSessionResponseSchema,
  DeleteSessionResponseSchema,
  DeleteSessionsResponseSchema,
  GetSessionResponseSchema,
  SessionStore,
  UpdateSessionResponseSchema,
} from "../../gen/ts/sessionmanagement/v1/session_store_pb.js";
import { DomainError } from "../domain/errors.js";
import { defaultPayloadLimits, limits, type PayloadLimits } from "../domain/limits.js";
import type { PageTokenCodec } from "../domain/page-token.js";
import type { SessionRecord } from "../domain/session.js";
import { parseNewSession, parseSessionSelector, parseSessionUpdate } from "../domain/session-input.js";
import { checkExpiresNotBeforeCreated } from "../domain/session-times.js";
import { optionalTextField, requiredTextField } from "../domain/text-field.js";
import type { StoreSet, Stores } from "../store/stores.js";
import { createGetSessions } from "./get-sessions.js";
import { sessionInputOf, toServerSideSession } from "./server-side-session.js";
import { terminateSessions, type TerminationOutcome, type TerminationRequest } from "./terminate-sessions.js";
import { dateOf } from "./timestamps.js";

/** What the SessionStore service needs. */
export interface SessionStoreDeps {
  stores: Stores;
  pageTokens: PageTokenCodec;
  now?: () => Date;
  /** Woken after a committed user logout queued notifications, so that delivery starts at once. */
  notifier: { wake(): void };
  /** Ticket and page size limits; the defaults when unset. */
  limits?: PayloadLimits;
}

/** The user-logout options DeleteSession and DeleteSessions share. */
interface LogoutFields {
  revokeTokens: boolean;
  sendBackchannelLogoutNotification: boolean;
  initiatingClientId: string;
}

/**
 * Registers the SessionStore service: identity providers record, read,
 * update and delete their sessions. Every write is one transaction; deletes
 * run through terminateSessions, so a user logout revokes and notifies
 * exactly as RemoveSessions does.
 */
export function registerSessionStore(router: ConnectRouter, deps: SessionStoreDeps): void {
  const now = deps.now ?? (() => new Date());
  const { stores } = deps;
  const { ticketBytes, pageBytes } = deps.limits ?? defaultPayloadLimits;
  const getSessions = createGetSessions({ ...deps, pageBytes });

  const logOut = async (selector: Pick<TerminationRequest, "subjectId" | "sessionId" | "key">, fields: LogoutFields): Promise<TerminationOutcome> => {
    const exceptClientId = optionalTextField("initiating_client_id", fields.initiatingClientId, limits.identifier);
    const outcome = await terminateSessions(
      stores,
      {
        ...selector,
        removeServerSideSession: true,
        revokeTokens: fields.revokeTokens,
        revokeConsents: false,
        sendBackchannelLogoutNotification: fields.sendBackchannelLogoutNotification,
        exceptClientId,
      },
      "user_logout",
      now(),
    );
    if (outcome.notificationsQueued > 0) deps.notifier.wake();
    return outcome;
  };

  router.service(SessionStore, {
    async createSession(request) {
      const session = parseNewSession(sessionInputOf(request.session, "session."), now(), "session.", ticketBytes);
      const stored = await stores.transaction(async (tx) => {
        await tx.sessions.create(session);
        return readBack(tx, session.key);
      });
      return create(CreateSessionResponseSchema, { session: toServerSideSession(stored, stored.ticket) });
    },

    async getSession(request) {
      const key = requiredTextField("key", request.key, limits.identifier);
      const stored = (await stores.sessions.findByKey(key)) ?? notFound();
      return create(GetSessionResponseSchema, { session: toServerSideSession(stored, stored.ticket) });
    },

    async updateSession(request) {
      const { key, changes } = parseSessionUpdate({
        ...request,
        renewed: dateOf("renewed", request.renewed),
        expires: dateOf("expires", request.expires),
        lastSeenTime: dateOf("last_seen_time", request.lastSeenTime),
      }, ticketBytes, now());
      const stored = await stores.transaction(async (tx) => {
        if (!(await tx.sessions.update(key, changes))) notFound();
        const updated = await readBack(tx, key);
        // Checked against the recorded creation time; throwing rolls the update back.
        checkExpiresNotBeforeCreated("expires", updated.created, changes.expires);
        return updated;
      });
      return create(UpdateSessionResponseSchema, { session: toServerSideSession(stored, stored.ticket) });
    },

    async deleteSession(request) {
      const key = requiredTextField("key", request.key, limits.identifier);
      const { sessionsRemoved, tokensRevoked, notificationsQueued } = await logOut({ key }, request);
      return create(DeleteSessionResponseSchema, { sessionsRemoved, tokensRevoked, notificationsQueued });
    },

    getSessions: (request, context) => getSessions(request, context.signal),

    async deleteSessions(request) {
      const { sessionsRemoved, tokensRevoked, notificationsQueued, sessionIds } = await logOut(parseSessionSelector(request), request);
      return create(DeleteSessionsResponseSchema, { sessionsRemoved, tokensRevoked, notificationsQueued, sessionIds });
    },
  });
}

async function readBack(tx: StoreSet, key: string): Promise<SessionRecord> {
  return (await tx.sessions.findByKey(key)) ?? notFound();
}

function notFound(): never {
  throw new DomainError("not_found", "key: no session has this key", "key");
}
