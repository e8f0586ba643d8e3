import { invalidArgument } from "../domain/errors.js";
import { limits } from "../domain/limits.js";
import type { PagePosition, PageTokenCodec } from "../domain/page-token.js";
import { resolvePageSize } from "../domain/page-size.js";
import type { KeysetPage } from "./keyset-page.js";

/** The paging fields every list request has, as QuerySessions defines them. */
export interface PagingFields {
  countRequested: number;
  resultsToken: string;
  requestPriorResults: boolean;
}

/** A list request's validated paging: the page size, the position to read from and the token binding. */
export interface PageRequest {
  size: number;
  position?: PagePosition;
  prior: boolean;
  binding: string;
}

/**
 * Resolves the page size (at most `maxSize`) and verifies the results token
 * against `binding(size)`, which names the list and its filter so that a
 * token only works for the list, filter and page size it was issued for.
 */
export function readPageRequest(
  codec: PageTokenCodec,
  fields: PagingFields,
  binding: (size: number) => string,
  maxSize?: number,
): PageRequest {
  const size = resolvePageSize(fields.countRequested, maxSize);
  const bound = binding(size);
  if (fields.resultsToken === "") return { size, prior: false, binding: bound };
  if (fields.resultsToken.length > limits.resultsToken) throw invalidArgument("results_token", "is not a valid results token");
  const decoded = codec.decode(fields.resultsToken, bound);
  if (decoded.error !== undefined) throw invalidArgument("results_token", decoded.error);
  return { size, position: decoded.position, prior: fields.requestPriorResults, binding: bound };
}

/** The paging fields of a list response for a page read with `request`. */
export function pageResponseFields(
  codec: PageTokenCodec,
  request: PageRequest,
  page: KeysetPage<{ pk: number }>,
): { resultsToken: string; hasPrevResults: boolean; hasNextResults: boolean } {
  if (page.rows.length === 0) return { resultsToken: "", hasPrevResults: false, hasNextResults: false };
  return {
    resultsToken: codec.encode({ firstPk: page.rows[0]!.pk, lastPk: page.rows.at(-1)!.pk, page: page.page }, request.binding),
    hasPrevResults: page.hasPrev,
    hasNextResults: page.hasNext,
  };
}
