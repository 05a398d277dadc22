/**
 * The groups/roles catalog cache (src/loaders/catalog-cache.ts) kept in Redis, so that replicas
 * share one list walk per account per TTL. Concurrent requests of one replica still share one
 * walk (in-flight promises stay local); when Redis fails, the in-process cache answers instead.
 */
import type { Redis } from 'ioredis';
import type { CatalogCache } from '../loaders/catalog-cache.js';

export interface RedisCatalogOptions {
  client: Redis;
  ttlMs: number;
  /** `<prefix>:catalog:v1:<account key>:<catalog>`: bump v1 whenever a model's shape changes. */
  keyOf(accountKey: string, catalog: string): string;
  /** Used while Redis cannot be read. */
  fallback: CatalogCache;
}

export function createRedisCatalogCache(options: RedisCatalogOptions): CatalogCache {
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    get<T>(accountKey: string, catalog: string, load: () => Promise<T>): Promise<T> {
      if (options.ttlMs <= 0) return load();
      const key = options.keyOf(accountKey, catalog);
      const pending = inFlight.get(key);
      if (pending) return pending as Promise<T>; // same key, same load: same T
      const value = readThrough(options, key, load, () => options.fallback.get(accountKey, catalog, load));
      const shared = value.finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
      return shared;
    },
    async invalidate(accountKey, catalog) {
      const key = options.keyOf(accountKey, catalog);
      inFlight.delete(key);
      await options.fallback.invalidate(accountKey, catalog);
      // Every replica reads this key: deleting it is what makes the write visible to them all.
      await options.client.del(key).catch(() => undefined);
    },
    async forgetAccount(accountKey) {
      for (const key of [...inFlight.keys()].filter((k) => k.startsWith(options.keyOf(accountKey, '')))) inFlight.delete(key);
      await options.fallback.forgetAccount(accountKey);
      await deleteMatching(options.client, `${options.keyOf(accountKey, '')}*`).catch(() => undefined);
    },
    clear() {
      inFlight.clear();
      options.fallback.clear(); // Redis entries expire with their TTL
    },
  };
}

/**
 * Deletes the keys matching `pattern` (an account's catalogs: the names are the resource modules',
 * not known here). SCAN walks the keyspace in steps without blocking Redis; it runs only when an
 * account is unlinked or re-pointed, and what it misses expires with the catalog TTL anyway.
 */
async function deleteMatching(client: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function readThrough<T>(
  options: RedisCatalogOptions,
  key: string,
  load: () => Promise<T>,
  fallback: () => Promise<T>,
): Promise<T> {
  let cached: string | null;
  try {
    cached = await options.client.get(key);
  } catch {
    return fallback();
  }
  const hit = cached === null ? undefined : parse<T>(cached);
  if (hit !== undefined) return hit;
  const value = await load();
  options.client.set(key, JSON.stringify(value), 'PX', options.ttlMs).catch(() => undefined);
  return value;
}

/**
 * The text was written above from `load()`'s value for the same versioned key: catalogs are plain
 * JSON models (strings, numbers, booleans, null, arrays, raw Freshchat objects), so the round trip
 * gives back the same T. Unreadable text counts as a miss.
 */
function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
