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
  keyOf(accountId: string, catalog: string): string;
  /** Used while Redis cannot be read. */
  fallback: CatalogCache;
}

export function createRedisCatalogCache(options: RedisCatalogOptions): CatalogCache {
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    get<T>(accountId: string, catalog: string, load: () => Promise<T>): Promise<T> {
      if (options.ttlMs <= 0) return load();
      const key = options.keyOf(accountId, catalog);
      const pending = inFlight.get(key);
      if (pending) return pending as Promise<T>; // same key, same load: same T
      const value = readThrough(options, key, load, () => options.fallback.get(accountId, catalog, load));
      const shared = value.finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
      return shared;
    },
    async invalidate(accountId, catalog) {
      const key = options.keyOf(accountId, catalog);
      inFlight.delete(key);
      await options.fallback.invalidate(accountId, catalog);
      // Every replica reads this key: deleting it is what makes the write visible to them all.
      await options.client.del(key).catch(() => undefined);
    },
    clear() {
      inFlight.clear();
      options.fallback.clear(); // Redis entries expire with their TTL
    },
  };
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
