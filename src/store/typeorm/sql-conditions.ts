/**
 * Collects the conditions of a WHERE clause and their bound values, skipping
 * filters that are not set. Values are always bound, never spliced.
 */
export interface Conditions {
  /** `column = ?` when `value` is set. */
  equals(column: string, value: unknown): Conditions;
  /** Any condition with its values. */
  add(sql: string, ...params: unknown[]): Conditions;
  readonly list: readonly string[];
  readonly params: readonly unknown[];
  /** ` WHERE a AND b`, or "" when there are no conditions. */
  whereSql(): string;
}

/** An empty set of conditions. */
export function conditions(): Conditions {
  const list: string[] = [];
  const params: unknown[] = [];
  const self: Conditions = {
    equals(column, value) {
      return value === undefined ? self : self.add(`${column} = ?`, value);
    },
    add(sql, ...values) {
      list.push(sql);
      params.push(...values);
      return self;
    },
    list,
    params,
    whereSql: () => (list.length === 0 ? "" : ` WHERE ${list.join(" AND ")}`),
  };
  return self;
}
