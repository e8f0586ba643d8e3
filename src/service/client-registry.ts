import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  ClientRegistry,
  DeleteClientResponseSchema,
  GetClientResponseSchema,
  ListClientsResponseSchema,
  PutClientResponseSchema,
} from "../../gen/ts/sessionmanagement/v1/client_registry_pb.js";
import type { LogoutUriPolicy } from "../domain/backchannel-logout-uri.js";
import { DomainError } from "../domain/errors.js";
import { limits } from "../domain/limits.js";
import type { PageTokenCodec } from "../domain/page-token.js";
import { totalPages } from "../domain/page-totals.js";
import { requiredTextField } from "../domain/text-field.js";
import type { Stores } from "../store/stores.js";
import { clientOf, toClientMessage } from "./client-message.js";
import { readKeysetPage } from "./keyset-page.js";
import { pageResponseFields, readPageRequest } from "./page-request.js";

/** What the ClientRegistry service needs. */
export interface ClientRegistryDeps {
  stores: Pick<Stores, "clients">;
  pageTokens: PageTokenCodec;
  logoutUris: LogoutUriPolicy;
}

/**
 * Registers the ClientRegistry service: operators put, get, list and delete
 * relying-party clients. Every stored client passed the same validation as
 * the clients file.
 */
export function registerClientRegistry(router: ConnectRouter, deps: ClientRegistryDeps): void {
  const { clients } = deps.stores;
  router.service(ClientRegistry, {
    async putClient(request) {
      const client = clientOf(request.client, deps.logoutUris);
      await clients.put(client);
      return create(PutClientResponseSchema, { client: toClientMessage(client) });
    },

    async getClient(request) {
      const clientId = requiredTextField("client_id", request.clientId, limits.identifier);
      const client = await clients.get(clientId);
      if (client === undefined) throw new DomainError("not_found", "client_id: no client has this id", "client_id");
      return create(GetClientResponseSchema, { client: toClientMessage(client) });
    },

    async listClients(request) {
      const paging = readPageRequest(deps.pageTokens, request, (size) => `client-registry|${size}`);
      const [page, total] = await Promise.all([readKeysetPage(clients, paging.size, paging.position, paging.prior), clients.count()]);
      if (page.rows.length === 0) return create(ListClientsResponseSchema, { totalCount: 0, totalPages: 0, currentPage: 0 });
      return create(ListClientsResponseSchema, {
        results: page.rows.map(toClientMessage),
        ...pageResponseFields(deps.pageTokens, paging, page),
        totalCount: total,
        totalPages: totalPages(total, paging.size),
        currentPage: page.page,
      });
    },

    async deleteClient(request) {
      const clientId = requiredTextField("client_id", request.clientId, limits.identifier);
      return create(DeleteClientResponseSchema, { clientsRemoved: (await clients.delete(clientId)) ? 1 : 0 });
    },
  });
}
