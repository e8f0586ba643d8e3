/**
 * The page count a QuerySessions response reports: ceil(total / page size),
 * at least 1 when there are results.
 */
export function totalPages(totalCount: number, pageSize: number): number {
  return Math.max(1, Math.ceil(totalCount / pageSize));
}
