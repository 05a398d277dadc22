/**
 * An opt-in, short cache of upstream list pages across requests (AGENT_PAGE_CACHE_TTL_MS; off when 0),
 * beside the catalog cache: with a real account's quota (100 requests a minute) the quota, not CPU,
 * bounds how many queries a product can answer, and the same first page of agents is what most of them
 * read. The price is freshness: a page may be up to the TTL old (an agent renamed, deactivated or
 * moved between groups shows the change after at most the TTL), unless a write through this subgraph
 * invalidates it first.
 *
 * - Keyed by account, resource and the page's query string: nothing crosses accounts.
 * - Only settled successes are kept. A page in flight is not shared: it runs under one request's
 *   abort signal, and another request must not fail because that caller left.
 * - `invalidate(accountKey, resource)` drops the resource's pages of that account, including a load
 *   already in flight (it will not be stored): the hook the write path calls after a mutation.
 * - Bounded (LRU): a busy deployment keeps its busiest pages.
 */
import { LRUCache } from 'lru-cache';
import { deleteScope } from './catalog-cache.js';

export interface PageCache {
  /** `load()`'s value, or a copy kept from an earlier request within the TTL. */
  get<T>(accountKey: string, resource: string, key: string, load: () => Promise<T>): Promise<T>;
  /** Forgets every cached page of `resource` (every resource when omitted) of one account. */
  invalidate(accountKey: string, resource?: string): void;
  /** The account's key was retired (unlinked, re-pointed): drops its pages and their bookkeeping. */
  forgetAccount(accountKey: string): void;
}

export interface PageCacheOptions {
  ttlMs: number;
  /** The list resources cached (`agents`); any other passes through. */
  resources: readonly string[];
  /** Pages kept over every account; the least recently used beyond it are dropped. */
  maxPages?: number;
  now?: () => number;
}

interface Entry {
  expires: number;
  generation: number;
  value: unknown;
}

export const DEFAULT_MAX_PAGES = 5_000;

export function createPageCache({ ttlMs, resources, maxPages = DEFAULT_MAX_PAGES, now = Date.now }: PageCacheOptions): PageCache {
  const cached = new Set(resources);
  const entries = new LRUCache<string, Entry>({ max: maxPages });
  // Bumped by invalidate: an entry (or a load) from an older generation is never served (or stored).
  const generations = new Map<string, number>();
  const scopeOf = (accountKey: string, resource: string) => `${accountKey}\u0000${resource}`;
  const generationOf = (scope: string) => generations.get(scope) ?? 0;
  return {
    async get<T>(accountKey: string, resource: string, key: string, load: () => Promise<T>): Promise<T> {
      if (ttlMs <= 0 || !cached.has(resource)) return load();
      const scope = scopeOf(accountKey, resource);
      const id = `${scope}\u0000${key}`;
      const generation = generationOf(scope);
      const hit = entries.get(id);
      if (hit && hit.generation === generation && hit.expires > now()) return hit.value as T;
      const value = await load();
      if (generationOf(scope) === generation) entries.set(id, { expires: now() + ttlMs, generation, value });
      return value;
    },
    invalidate(accountKey, resource) {
      for (const r of resource === undefined ? cached : [resource]) {
        const scope = scopeOf(accountKey, r);
        generations.set(scope, generationOf(scope) + 1);
      }
    },
    forgetAccount(accountKey) {
      // A load still in flight may store one more page under the retired key: no request asks for
      // that key again, so it is never served, and the LRU drops it in its turn.
      deleteScope(entries, accountKey);
      for (const r of cached) generations.delete(scopeOf(accountKey, r));
    },
  };
}
