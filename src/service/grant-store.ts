import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  GetGrantResponseSchema,
  GrantStore,
  ListGrantsResponseSchema,
  RemoveGrantResponseSchema,
  RemoveGrantsResponseSchema,
  StoreGrantResponseSchema,
} from "../../gen/ts/sessionmanagement/v1/grant_store_pb.js";
import { DomainError } from "../domain/errors.js";
import { limits } from "../domain/limits.js";
import { maxPayloadPageSize } from "../domain/page-size.js";
import type { PageTokenCodec } from "../domain/page-token.js";
import { requiredTextField } from "../domain/text-field.js";
import type { Stores } from "../store/stores.js";
import { readKeysetPage } from "./keyset-page.js";
import { pageResponseFields, readPageRequest } from "./page-request.js";
import { grantFilterOf, grantOf, toPersistedGrant } from "./persisted-grant.js";

/** What the GrantStore service needs. */
export interface GrantStoreDeps {
  stores: Pick<Stores, "grants">;
  pageTokens: PageTokenCodec;
  now?: () => Date;
}

/**
 * Registers the GrantStore service: identity providers store, read, list and
 * remove their persisted grants. Lists and removals by filter need a subject
 * or session id, which also keeps them on an index.
 */
export function registerGrantStore(router: ConnectRouter, deps: GrantStoreDeps): void {
  const now = deps.now ?? (() => new Date());
  const { grants } = deps.stores;
  router.service(GrantStore, {
    async storeGrant(request) {
      const grant = grantOf(request.grant, now());
      await grants.store(grant);
      return create(StoreGrantResponseSchema, { grant: toPersistedGrant(grant) });
    },

    async getGrant(request) {
      const key = requiredTextField("key", request.key, limits.identifier);
      const grant = await grants.get(key);
      if (grant === undefined) throw new DomainError("not_found", "key: no grant has this key", "key");
      return create(GetGrantResponseSchema, { grant: toPersistedGrant(grant) });
    },

    async listGrants(request) {
      const filter = grantFilterOf(request.filter);
      const binding = (size: number) =>
        `grant-store|${JSON.stringify([filter.subjectId, filter.sessionId, filter.clientIds, filter.types])}|${size}`;
      const paging = readPageRequest(deps.pageTokens, request, binding, maxPayloadPageSize);
      const page = await readKeysetPage(
        {
          findPage: (cursor, limit) => grants.findPage(filter, cursor, limit),
          existsBeyond: (cursor) => grants.existsBeyond(filter, cursor),
        },
        paging.size,
        paging.position,
        paging.prior,
      );
      return create(ListGrantsResponseSchema, {
        results: page.rows.map(toPersistedGrant),
        ...pageResponseFields(deps.pageTokens, paging, page),
      });
    },

    async removeGrant(request) {
      const key = requiredTextField("key", request.key, limits.identifier);
      return create(RemoveGrantResponseSchema, { grantsRemoved: await grants.remove(key) });
    },

    async removeGrants(request) {
      const filter = grantFilterOf(request.filter);
      return create(RemoveGrantsResponseSchema, { grantsRemoved: await grants.removeAll(filter) });
    },
  });
}
