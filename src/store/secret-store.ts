/**
 * Server secrets kept in the database, so that every instance sharing it
 * (and every restart) uses the same ones.
 */
export interface SecretStore {
  /** The secret with this name; created with `generate()` if there is none yet. */
  getOrCreate(name: string, generate: () => Buffer): Promise<Buffer>;
  /** The secret with this name, if there is one. */
  get(name: string): Promise<Buffer | undefined>;
}
