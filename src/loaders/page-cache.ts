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
 * - `invalidate(accountId, resource)` drops the resource's pages of that account, including a load
 *   already in flight (it will not be stored): the hook the write path calls after a mutation.
 * - Bounded (LRU): a busy deployment keeps its busiest pages.
 */
import { LRUCache } from 'lru-cache';

export interface PageCache {
  /** `load()`'s value, or a copy kept from an earlier request within the TTL. */
  get<T>(accountId: string, resource: string, key: string, load: () => Promise<T>): Promise<T>;
  /** Forgets every cached page of `resource` (every resource when omitted) of one account. */
  invalidate(accountId: string, resource?: string): void;
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
  const scopeOf = (accountId: string, resource: string) => `${accountId}\u0000${resource}`;
  const generationOf = (scope: string) => generations.get(scope) ?? 0;
  return {
    async get<T>(accountId: string, resource: string, key: string, load: () => Promise<T>): Promise<T> {
      if (ttlMs <= 0 || !cached.has(resource)) return load();
      const scope = scopeOf(accountId, resource);
      const id = `${scope}\u0000${key}`;
      const generation = generationOf(scope);
      const hit = entries.get(id);
      if (hit && hit.generation === generation && hit.expires > now()) return hit.value as T;
      const value = await load();
      if (generationOf(scope) === generation) entries.set(id, { expires: now() + ttlMs, generation, value });
      return value;
    },
    invalidate(accountId, resource) {
      for (const r of resource === undefined ? cached : [resource]) {
        const scope = scopeOf(accountId, r);
        generations.set(scope, generationOf(scope) + 1);
      }
    },
  };
}
