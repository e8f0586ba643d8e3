import { tokenGrantTypes } from "../../domain/grant-types.js";
import { grantBoundModels, grantKey, modelOfKey } from "./model-mapping.js";
import { unlessNotFound } from "./not-found.js";
import type { ServiceConnection } from "./service-connection.js";

/** Revokes every token issued under one of the provider's grants. */
export type GrantRevocation = (grantId: string) => Promise<void>;

const decoder = new TextDecoder();

/**
 * GrantStore filters by subject, session, client and type, not by the
 * provider's grant id. The grant's own record (model Grant) names the subject
 * and client, so revocation lists that subject's tokens for that client and
 * removes those whose payload carries the grant id. The provider revokes a
 * grant with one call per token model and destroys the Grant record at the
 * same time; concurrent calls for one grant share one pass, which reads the
 * Grant record before it can be destroyed.
 */
export function createGrantRevocation(connection: ServiceConnection): GrantRevocation {
  const { grants, timeoutMs } = connection;
  const call = { timeoutMs };
  const inFlight = new Map<string, Promise<void>>();

  const revoke = async (grantId: string): Promise<void> => {
    const grant = (await unlessNotFound(grants.getGrant({ key: grantKey("Grant", grantId) }, call)))?.grant;
    if (grant === undefined || grant.subjectId === "") return;
    const filter = { subjectId: grant.subjectId, clientIds: [grant.clientId], types: [...tokenGrantTypes] };
    const doomed: string[] = [];
    let resultsToken = "";
    do {
      const page = await grants.listGrants({ filter, countRequested: 100, resultsToken }, call);
      for (const record of page.results) {
        const model = modelOfKey(record.key);
        if (model === undefined || !grantBoundModels.includes(model)) continue;
        const payload = JSON.parse(decoder.decode(record.data)) as { grantId?: unknown };
        if (payload.grantId === grantId) doomed.push(record.key);
      }
      resultsToken = page.hasNextResults ? page.resultsToken : "";
    } while (resultsToken !== "");
    for (const key of doomed) await grants.removeGrant({ key }, call);
  };

  return (grantId) => {
    let pass = inFlight.get(grantId);
    if (pass === undefined) {
      pass = revoke(grantId).finally(() => inFlight.delete(grantId));
      inFlight.set(grantId, pass);
    }
    return pass;
  };
}
