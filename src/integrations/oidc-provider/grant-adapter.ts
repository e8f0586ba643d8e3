import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Adapter } from "oidc-provider";
import type { GrantType } from "../../domain/grant-types.js";
import { grantRecordOf, payloadOfGrant } from "./grant-record.js";
import type { GrantRevocation } from "./grant-revocation.js";
import { grantKey } from "./model-mapping.js";
import { isStorableKey, unlessNotFound } from "./not-found.js";
import type { ServiceConnection } from "./service-connection.js";

/** What a GrantStore-backed model adapter needs. */
export interface GrantAdapterDeps {
  connection: ServiceConnection;
  revokeGrant: GrantRevocation;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Device codes are also found by the user code typed on the device page: an
// index record under this model name holds the device code's id.
const userCodeModel = "DeviceCode.userCode";

/**
 * One provider model on GrantStore, under one grant type (see
 * model-mapping.ts). `consume` records the consumed time (the provider reads
 * it back as `consumed`); `destroy` removes by key, and for the Grant model
 * first revokes the tokens issued under the grant; `revokeByGrantId` removes
 * the tokens of a grant.
 */
export function createGrantAdapter(model: string, type: GrantType, deps: GrantAdapterDeps): Adapter {
  const { grants, timeoutMs } = deps.connection;
  const call = { timeoutMs };

  const read = async (key: string) => (isStorableKey(key) ? (await unlessNotFound(grants.getGrant({ key }, call)))?.grant : undefined);

  const find = async (id: string) => {
    const grant = await read(grantKey(model, id));
    if (grant === undefined) return undefined;
    return payloadOfGrant(grant.data, grant.consumedTime === undefined ? undefined : timestampDate(grant.consumedTime));
  };

  return {
    find,

    async upsert(id, payload, expiresIn) {
      const { expiration, ...fields } = grantRecordOf(model, type, id, payload, expiresIn, new Date());
      const grant = { ...fields, ...(expiration ? { expiration: timestampFromDate(expiration) } : {}) };
      await grants.storeGrant({ grant }, call);
      if (typeof payload.userCode === "string") {
        const index = { ...grant, key: grantKey(userCodeModel, payload.userCode), data: encoder.encode(id) };
        await grants.storeGrant({ grant: index }, call);
      }
    },

    async consume(id) {
      const grant = await read(grantKey(model, id));
      if (grant === undefined) return;
      await grants.storeGrant({ grant: { ...grant, consumedTime: timestampFromDate(new Date()) } }, call);
    },

    async destroy(id) {
      if (model === "Grant") await deps.revokeGrant(id);
      if (model === "DeviceCode") {
        const userCode = (await find(id))?.userCode;
        if (typeof userCode === "string") await grants.removeGrant({ key: grantKey(userCodeModel, userCode) }, call);
      }
      await grants.removeGrant({ key: grantKey(model, id) }, call);
    },

    async revokeByGrantId(grantId) {
      await deps.revokeGrant(grantId);
    },

    async findByUserCode(userCode) {
      const index = await read(grantKey(userCodeModel, userCode));
      return index === undefined ? undefined : find(decoder.decode(index.data));
    },

    async findByUid() {
      return undefined;
    },
  };
}
