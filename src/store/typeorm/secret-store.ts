import type { SecretStore } from "../secret-store.js";
import type { Dialect } from "./dialect.js";
import type { SqlExecutor } from "./sql-executor.js";

/**
 * Secrets in the service_secrets table. Creation is race-free across
 * instances: the first insert wins and everyone reads the winner back.
 */
export function createSecretStore(sql: SqlExecutor, dialect: Dialect): SecretStore {
  const read = async (name: string) => {
    const [row] = await sql.rows<{ value: unknown }>("SELECT value FROM service_secrets WHERE name = ?", [name]);
    return row === undefined ? undefined : Buffer.from(row.value as Uint8Array);
  };
  return {
    get: read,
    async getOrCreate(name: string, generate: () => Buffer): Promise<Buffer> {
      const existing = await read(name);
      if (existing !== undefined) return existing;
      await sql.run(dialect.insertIfAbsent("service_secrets", ["name", "value", "created"]), [
        name,
        generate(),
        dialect.time(new Date()),
      ]);
      const created = await read(name);
      if (created === undefined) throw new Error(`secret ${name} could not be stored`);
      return created;
    },
  };
}
