/**
 * Groups and roles are small catalogs read whole (DESIGN §5). This cache keeps each account's
 * catalogs across requests for a short TTL (CATALOG_CACHE_TTL_MS; off when 0). It holds the
 * in-flight promise, so concurrent requests share one list walk; a failed walk is forgotten at once.
 * Keys always include the account id: nothing is shared across accounts.
 */
export interface CatalogCache {
  get<T>(accountId: string, catalog: string, load: () => Promise<T>): Promise<T>;
  /** Read-after-write: drops one account's catalog, so the next request walks it afresh. */
  invalidate(accountId: string, catalog: string): Promise<void>;
  clear(): void;
}

export function createCatalogCache(ttlMs: number, now: () => number = Date.now): CatalogCache {
  const entries = new Map<string, { expires: number; value: Promise<unknown> }>();
  return {
    get<T>(accountId: string, catalog: string, load: () => Promise<T>): Promise<T> {
      if (ttlMs <= 0) return load();
      const key = `${accountId}\u0000${catalog}`;
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.value as Promise<T>;
      const value = load();
      entries.set(key, { expires: now() + ttlMs, value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    invalidate: async (accountId, catalog) => void entries.delete(`${accountId}\u0000${catalog}`),
    clear: () => entries.clear(),
  };
}

/**
 * The last list total seen per account and list, process-wide. A hint only (never served as data):
 * it lets a batch of ids choose between single GETs and a list walk without a probe call.
 */
export interface TotalsHint {
  get(accountId: string, list: string): number | undefined;
  set(accountId: string, list: string, total: number): void;
  /** A write changed the list's length: the hint would mislead until a page tells it again. */
  forget(accountId: string, list: string): void;
}

export function createTotalsHint(): TotalsHint {
  const totals = new Map<string, number>();
  return {
    get: (accountId, list) => totals.get(`${accountId}\u0000${list}`),
    set: (accountId, list, total) => void totals.set(`${accountId}\u0000${list}`, total),
    forget: (accountId, list) => void totals.delete(`${accountId}\u0000${list}`),
  };
}
