import type { Adapter, AdapterFactory, AdapterPayload } from "oidc-provider";

/** Limits of the in-memory short-lived store. */
export interface MemoryStoreOptions {
  /** Records kept at most; the oldest go first when full (default 100,000). */
  maxEntries?: number;
  /** Lifetime of records saved without `expiresIn`, in seconds (default one hour). */
  defaultTtlSeconds?: number;
}

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * The default home of short-lived models (interactions, replay detection,
 * pushed authorization requests, sessions before login): a map in this
 * process with expiry. A deployment with several provider instances supplies
 * a shared store instead (Redis, for example), since an interaction begun on
 * one instance may end on another.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): AdapterFactory {
  const maxEntries = options.maxEntries ?? 100_000;
  const defaultTtl = options.defaultTtlSeconds ?? 3600;
  const entries = new Map<string, Entry>();
  const uids = new Map<string, string>();

  const read = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return (model: string): Adapter => {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyOf(id);
        entries.delete(key);
        while (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
        entries.set(key, { payload, expiresAt: Date.now() + (expiresIn ?? defaultTtl) * 1000 });
        if (typeof payload.uid === "string") uids.set(`${model}:${payload.uid}`, id);
      },
      async find(id) {
        return read(keyOf(id));
      },
      async findByUid(uid) {
        const id = uids.get(`${model}:${uid}`);
        return id === undefined ? undefined : read(keyOf(id));
      },
      async findByUserCode() {
        return undefined;
      },
      async consume(id) {
        const payload = read(keyOf(id));
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        const key = keyOf(id);
        const payload = entries.get(key)?.payload;
        entries.delete(key);
        if (typeof payload?.uid === "string" && uids.get(`${model}:${payload.uid}`) === id) uids.delete(`${model}:${payload.uid}`);
      },
      async revokeByGrantId() {
        // Short-lived models carry no grant.
      },
    };
  };
}
