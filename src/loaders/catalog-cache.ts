/**
 * Groups, roles and channels are small catalogs read whole (docs/design.md#the-upstream-call-budget). This cache keeps each account's
 * catalogs across requests for a short TTL (CATALOG_CACHE_TTL_MS; off when 0). It holds the
 * in-flight promise, so concurrent requests share one list walk; a failed walk is forgotten at once.
 * Keys always include the account's key (Account.key): nothing is shared across accounts, nor
 * inherited by an account id linked again.
 *
 * Both structures here are process-wide and keyed by account, so they are LRUs bounded by
 * FRESHCHAT_MAX_ACCOUNTS: a deployment serving many accounts keeps the busy ones, not all of them.
 */
import { LRUCache } from 'lru-cache';

export interface CatalogCache {
  get<T>(accountKey: string, catalog: string, load: () => Promise<T>): Promise<T>;
  /** Read-after-write: drops one account's catalog, so the next request walks it afresh. */
  invalidate(accountKey: string, catalog: string): Promise<void>;
  /** The account's key was retired (unlinked, re-pointed): drops every catalog kept under it. */
  forgetAccount(accountKey: string): Promise<void>;
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
    get<T>(accountKey: string, catalog: string, load: () => Promise<T>): Promise<T> {
      if (ttlMs <= 0) return load();
      const key = `${accountKey}\u0000${catalog}`;
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.value as Promise<T>;
      const value = load();
      entries.set(key, { expires: now() + ttlMs, value });
      value.catch(() => {
        if (entries.peek(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    invalidate: async (accountKey, catalog) => void entries.delete(`${accountKey}\u0000${catalog}`),
    forgetAccount: async (accountKey) => deleteScope(entries, accountKey),
    clear: () => entries.clear(),
  };
}

/**
 * The last list total seen per account and list (a filtered list is its own entry), process-wide. A
 * hint only (never served as data): it lets a batch of ids choose between single GETs and a list walk
 * without a probe call, and a forward window stop planning where the list ended.
 */
export interface TotalsHint {
  get(accountKey: string, list: string): number | undefined;
  set(accountKey: string, list: string, total: number): void;
  /** A write changed the list's length: the hint would mislead until a page tells it again. */
  forget(accountKey: string, list: string): void;
  /** The account's key was retired: drops its hints. */
  forgetAccount(accountKey: string): void;
}

export function createTotalsHint({ maxAccounts = DEFAULT_MAX_ACCOUNTS }: Pick<CacheBounds, 'maxAccounts'> = {}): TotalsHint {
  // A number per entry: room for a few filtered lists per account beside the two unfiltered ones.
  const totals = new LRUCache<string, number>({ max: maxAccounts * TOTALS_PER_ACCOUNT });
  return {
    get: (accountKey, list) => totals.get(`${accountKey}\u0000${list}`),
    set: (accountKey, list, total) => void totals.set(`${accountKey}\u0000${list}`, total),
    forget: (accountKey, list) => void totals.delete(`${accountKey}\u0000${list}`),
    forgetAccount: (accountKey) => deleteScope(totals, accountKey),
  };
}

/**
 * Deletes every entry of one account from an LRU keyed `<account key>\0...`. It walks the whole
 * cache, which is bounded and only done when an account is unlinked or re-pointed.
 */
export function deleteScope<V extends object | number>(cache: LRUCache<string, V>, accountKey: string): void {
  const prefix = `${accountKey}\u0000`;
  // Collected first: the cache is not changed while its keys are being walked.
  const doomed = [...cache.keys()].filter((key) => key.startsWith(prefix));
  for (const key of doomed) cache.delete(key);
}
