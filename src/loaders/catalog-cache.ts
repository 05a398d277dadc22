/**
 * Groups, roles and channels are small catalogs read whole (docs/design.md#the-upstream-call-budget). This cache keeps each account's
 * catalogs across requests for a short TTL (CATALOG_CACHE_TTL_MS; off when 0). It holds the
 * in-flight promise, so concurrent requests share one list walk; a failed walk is forgotten at once.
 * Keys always include the account id: nothing is shared across accounts.
 *
 * Both structures here are process-wide and keyed by account, so they are LRUs bounded by
 * FRESHCHAT_MAX_ACCOUNTS: a deployment serving many accounts keeps the busy ones, not all of them.
 */
import { LRUCache } from 'lru-cache';

export interface CatalogCache {
  get<T>(accountId: string, catalog: string, load: () => Promise<T>): Promise<T>;
  /** Read-after-write: drops one account's catalog, so the next request walks it afresh. */
  invalidate(accountId: string, catalog: string): Promise<void>;
  clear(): void;
}

/** Catalogs per account: groups, roles and channels. */
const PER_ACCOUNT = 3;

export const DEFAULT_MAX_ACCOUNTS = 1_000;

const TOTALS_PER_ACCOUNT = 16;

export interface CacheBounds {
  /** Accounts kept; the least recently used one's entries are dropped beyond it. */
  maxAccounts?: number;
  now?: () => number;
}

export function createCatalogCache(ttlMs: number, { maxAccounts = DEFAULT_MAX_ACCOUNTS, now = Date.now }: CacheBounds = {}): CatalogCache {
  const entries = new LRUCache<string, { expires: number; value: Promise<unknown> }>({ max: maxAccounts * PER_ACCOUNT });
  return {
    get<T>(accountId: string, catalog: string, load: () => Promise<T>): Promise<T> {
      if (ttlMs <= 0) return load();
      const key = `${accountId}\u0000${catalog}`;
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.value as Promise<T>;
      const value = load();
      entries.set(key, { expires: now() + ttlMs, value });
      value.catch(() => {
        if (entries.peek(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    invalidate: async (accountId, catalog) => void entries.delete(`${accountId}\u0000${catalog}`),
    clear: () => entries.clear(),
  };
}

/**
 * The last list total seen per account and list (a filtered list is its own entry), process-wide. A
 * hint only (never served as data): it lets a batch of ids choose between single GETs and a list walk
 * without a probe call, and a forward window stop planning where the list ended.
 */
export interface TotalsHint {
  get(accountId: string, list: string): number | undefined;
  set(accountId: string, list: string, total: number): void;
  /** A write changed the list's length: the hint would mislead until a page tells it again. */
  forget(accountId: string, list: string): void;
}

export function createTotalsHint({ maxAccounts = DEFAULT_MAX_ACCOUNTS }: Pick<CacheBounds, 'maxAccounts'> = {}): TotalsHint {
  // A number per entry: room for a few filtered lists per account beside the two unfiltered ones.
  const totals = new LRUCache<string, number>({ max: maxAccounts * TOTALS_PER_ACCOUNT });
  return {
    get: (accountId, list) => totals.get(`${accountId}\u0000${list}`),
    set: (accountId, list, total) => void totals.set(`${accountId}\u0000${list}`, total),
    forget: (accountId, list) => void totals.delete(`${accountId}\u0000${list}`),
  };
}
