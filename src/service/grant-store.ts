import { create, toBinary } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  GetGrantResponseSchema,
  GrantStore,
  ListGrantsResponseSchema,
  PersistedGrantSchema,
  RemoveGrantResponseSchema,
  RemoveGrantsResponseSchema,
  StoreGrantResponseSchema,
} from "../../gen/ts/sessionmanagement/v1/grant_store_pb.js";
import { DomainError } from "../domain/errors.js";
import { defaultPayloadLimits, limits, type PayloadLimits } from "../domain/limits.js";
import { maxPayloadPageSize } from "../domain/page-size.js";
import type { PageTokenCodec } from "../domain/page-token.js";
import { requiredTextField } from "../domain/text-field.js";
import type { ListedGrant } from "../store/grant-store.js";
import type { Stores } from "../store/stores.js";
import { readKeysetPage } from "./keyset-page.js";
import { budgetFit, rowOverheadBytes } from "./page-budget.js";
import { pageResponseFields, readPageRequest } from "./page-request.js";
import { grantFilterOf, grantOf, toPersistedGrant } from "./persisted-grant.js";

const noData = new Uint8Array(0);

/** What the GrantStore service needs. */
export interface GrantStoreDeps {
  stores: Pick<Stores, "grants">;
  pageTokens: PageTokenCodec;
  now?: () => Date;
  /** Grant data and page size limits; the defaults when unset. */
  limits?: PayloadLimits;
}

/**
 * Registers the GrantStore service: identity providers store, read, list and
 * remove their persisted grants. Lists and removals by filter need a subject
 * or session id, which also keeps them on an index. A ListGrants page ends
 * early rather than hold more than the page byte budget.
 */
export function registerGrantStore(router: ConnectRouter, deps: GrantStoreDeps): void {
  const now = deps.now ?? (() => new Date());
  const { grants } = deps.stores;
  const { grantDataBytes, pageBytes } = deps.limits ?? defaultPayloadLimits;
  const fit = budgetFit<ListedGrant>(pageBytes, (rows) =>
    rows.map((g) => toBinary(PersistedGrantSchema, toPersistedGrant({ ...g, data: noData })).byteLength + g.data.byteLength + rowOverheadBytes),
  );
  router.service(GrantStore, {
    async storeGrant(request) {
      const grant = grantOf(request.grant, now(), grantDataBytes);
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
        fit,
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
