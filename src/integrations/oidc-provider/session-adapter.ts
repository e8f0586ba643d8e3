import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { LoadedSessions } from "./loaded-sessions.js";
import { isAlreadyExists, isStorableKey, unlessNotFound } from "./not-found.js";
import type { ServiceConnection } from "./service-connection.js";
import { fittedDisplayName, payloadOfSession, sessionRecordOf } from "./session-record.js";

/** What the Session adapter needs. */
export interface SessionAdapterDeps {
  connection: ServiceConnection;
  /** The provider's issuer, recorded with each session (logout tokens carry it as `iss`). */
  issuer: string;
  /** The name administrators see and search for, e.g. the account's name or e-mail; called when a session is recorded. */
  displayName?: (accountId: string) => string | undefined | Promise<string | undefined>;
  /** Where sessions without an account (before login) are kept. */
  anonymous: Adapter;
  loaded: LoadedSessions;
}

/**
 * The provider's Session model on SessionStore. A session is recorded once
 * it has an account; `find` by the provider's session id (the record's key),
 * `findByUid` by its uid (the record's session id); `upsert` updates a
 * recorded session and creates only sessions never seen, so that a session
 * removed while a request held it stays removed; `destroy` removes the record
 * quietly (the provider also destroys the old id when it rotates the session
 * id at login; a user's logout goes through provider-binding.ts instead).
 */
export function createSessionAdapter(deps: SessionAdapterDeps): Adapter {
  const { sessions, timeoutMs } = deps.connection;
  const call = { timeoutMs };

  // Old keys of sessions whose id the provider is rotating, by uid (see destroy).
  const rotating = new Map<string, { key: string; timer: NodeJS.Timeout }>();

  const found = (key: string, ticket: Uint8Array): AdapterPayload => {
    const payload = payloadOfSession(ticket);
    deps.loaded.add(key, String(payload.uid ?? ""));
    return payload;
  };

  return {
    async find(id) {
      const anonymous = await deps.anonymous.find(id);
      if (anonymous) return anonymous;
      if (!isStorableKey(id)) return undefined;
      const response = await unlessNotFound(sessions.getSession({ key: id }, call));
      return response?.session === undefined ? undefined : found(id, response.session.ticket);
    },

    async findByUid(uid) {
      if (!isStorableKey(uid)) return undefined;
      const response = await sessions.getSessions({ sessionId: uid, countRequested: 1 }, call);
      const session = response.results[0];
      if (session !== undefined) return found(session.key, session.ticket);
      return (await deps.anonymous.findByUid(uid)) ?? undefined;
    },

    async upsert(id, payload, expiresIn) {
      if (typeof payload.accountId !== "string" || payload.accountId === "") {
        await deps.anonymous.upsert(id, payload, expiresIn);
        return;
      }
      const record = sessionRecordOf(id, payload, expiresIn, new Date(), deps.issuer);
      const update = () =>
        unlessNotFound(
          sessions.updateSession(
            {
              key: id,
              renewed: timestampFromDate(new Date()),
              ...(record.expires ? { expires: timestampFromDate(record.expires) } : { clearExpires: true }),
              clientIds: record.clientIds,
              replaceClientIds: true,
              ticket: record.ticket,
            },
            call,
          ),
        );
      if (deps.loaded.has(id)) {
        // Recorded before; if it is gone now it was ended meanwhile: leave it ended.
        if ((await update()) === undefined) deps.loaded.delete(id);
        return;
      }
      const displayName = fittedDisplayName(await deps.displayName?.(record.subjectId));
      try {
        await sessions.createSession(
          {
            session: {
              key: id,
              subjectId: record.subjectId,
              sessionId: record.sessionId,
              issuer: record.issuer,
              ...(displayName === undefined ? {} : { displayName }),
              ...(record.expires ? { expires: timestampFromDate(record.expires) } : {}),
              ...(typeof payload.iat === "number" ? { created: timestampFromDate(new Date(payload.iat * 1000)) } : {}),
              clientIds: record.clientIds,
              ticket: record.ticket,
            },
          },
          call,
        );
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        await update();
      }
      deps.loaded.add(id, record.sessionId);
      await deps.anonymous.destroy(id);
      const old = rotating.get(record.sessionId);
      if (old !== undefined) {
        rotating.delete(record.sessionId);
        clearTimeout(old.timer);
        const { sessionsRemoved } = await sessions.deleteSession({ key: old.key }, call);
        if (sessionsRemoved === 0) {
          // The session was ended while its id was being rotated: the new key must not outlive it.
          deps.loaded.delete(id);
          await sessions.deleteSession({ key: id }, call);
        }
      }
    },

    async destroy(id) {
      await deps.anonymous.destroy(id);
      const uid = deps.loaded.uidOf(id);
      deps.loaded.delete(id);
      if (uid) {
        // The provider rotates a session's id by destroying the old key and
        // saving the new one. Removing the old key only once the new one is
        // recorded (see upsert) leaves no moment without a record, and tells
        // whether the session was ended meanwhile (nothing left to remove).
        // A destroy that no save follows (a logout, where provider-binding.ts
        // has already ended the session) is carried out a little later.
        const timer = setTimeout(() => {
          rotating.delete(uid);
          sessions.deleteSession({ key: id }, call).catch(() => undefined);
        }, 5000);
        timer.unref();
        const previous = rotating.get(uid);
        if (previous !== undefined) {
          clearTimeout(previous.timer);
          sessions.deleteSession({ key: previous.key }, call).catch(() => undefined);
        }
        rotating.set(uid, { key: id, timer });
        return;
      }
      await sessions.deleteSession({ key: id }, call);
    },

    async consume() {
      // Sessions are never consumed.
    },

    async findByUserCode() {
      return undefined;
    },

    async revokeByGrantId() {
      // Sessions carry no grant.
    },
  };
}

