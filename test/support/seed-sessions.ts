import type { NewSession } from "../../src/domain/session.js";
import type { Stores } from "../../src/store/stores.js";
import { newSession } from "./fixtures.js";

/** Creates sessions in one transaction, in the given order; returns them. */
export async function createSessions(stores: Stores, sessions: Partial<NewSession>[]): Promise<NewSession[]> {
  const created = sessions.map((overrides) => newSession(overrides));
  await stores.transaction(async (tx) => {
    for (const session of created) await tx.sessions.create(session);
  });
  return created;
}
