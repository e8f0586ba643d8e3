import { createHash } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";
import { logoutTokenClaims } from "../domain/logout-token-claims.js";
import type { Client } from "../store/client-store.js";
import type { ClaimedNotification } from "../store/notification-outbox.js";
import type { SigningKeys } from "./signing-keys.js";

/** Makes the logout token for one delivery attempt. */
export interface LogoutTokenMinter {
  /**
   * A freshly signed token (`iat` now) whose `jti` is the notification's own,
   * the same on every attempt, or why none can be made for this row and client.
   */
  mint(notification: ClaimedNotification, client: Client, now: Date): Promise<{ token: string } | { error: string }>;
}

/**
 * Signs logout tokens with the active key: a JWS in compact form whose header
 * carries `alg`, `kid` and the `typ` the client accepts (`logout+jwt` unless
 * it asked for `JWT` or none).
 */
export function createLogoutTokenMinter(keys: SigningKeys, defaultIssuer: string | undefined): LogoutTokenMinter {
  const { kid, alg, privateKey } = keys.active;
  return {
    async mint(notification, client, now) {
      const made = logoutTokenClaims({
        sessionIssuer: notification.issuer,
        defaultIssuer,
        clientId: client.clientId,
        subjectId: notification.subjectId,
        sessionId: notification.sessionId,
        sessionRequired: client.backchannelLogoutSessionRequired,
        now,
        jti: notificationJti(notification, client.clientId, defaultIssuer),
      });
      if ("error" in made) return made;
      const typ = client.logoutTokenType ?? "logout+jwt";
      const header = typ === "none" ? { alg, kid } : { alg, kid, typ };
      const token = await new SignJWT(made.claims as unknown as JWTPayload).setProtectedHeader(header).sign(privateKey);
      return { token };
    },
  };
}

// Every attempt at one notification carries the same jti, so a relying party
// that remembers the jti values it has seen drops a repeated delivery (the
// outbox delivers at least once). Derived, not stored: the row's id with what
// tells this deployment's notifications apart from another's.
function notificationJti(notification: ClaimedNotification, clientId: string, defaultIssuer: string | undefined): string {
  const parts = [notification.issuer ?? defaultIssuer ?? "", String(notification.id), clientId, notification.subjectId, notification.sessionId ?? ""];
  return createHash("sha256").update(parts.join("\n")).digest("base64url").slice(0, 22);
}
