import { LRUCache } from 'lru-cache';
import { isAccountId, linkedAccountKey, type Account, type AccountSource, type LookupOptions } from '../account.js';
import type { CredentialLifecycle } from './lifecycle.js';
import type { AccountStore } from './store.js';

/** The environment account and the linked ones, with linked ones kept resolved across requests. */
export interface LinkedAccountSource extends AccountSource {
  /** Drops what this process keeps of an account at once: the admin API, link page and CLI call it. */
  forget(id: string): void;
}

export interface ResolvedCacheOptions {
  /** ACCOUNT_CACHE_TTL_MS: how long a resolved account is reused; 0 = every request reads the registry. */
  ttlMs: number;
  /** Accounts kept (FRESHCHAT_MAX_ACCOUNTS); the least recently used are dropped beyond it. */
  maxAccounts: number;
  now?: () => number;
}

/**
 * A linked account costs a registry read and a decryption to resolve. Both are kept for a short TTL,
 * so a warm account's request reads nothing from the database: the cache holds the lookup itself,
 * and concurrent requests for a cold account share one read. A change made through this process is
 * seen at once (`forget`); one made by another replica or the CLI within the TTL, see
 * README "One identity per account, resolved once". Only accounts found are kept: an id that is not
 * linked is asked again, so an account linked through another replica is usable there at once. A
 * malformed id is never looked up; a lookup is bounded by the caller's deadline (./db.ts), and a
 * failed one (REGISTRY_UNAVAILABLE, ACCOUNT_UNUSABLE) is not kept.
 */
export function createAccountSource(
  store: Pick<AccountStore, 'getWithToken'>,
  environment: Account | null,
  options: { lifecycle?: CredentialLifecycle; cache?: ResolvedCacheOptions } = {},
): LinkedAccountSource {
  const { lifecycle, cache } = options;
  const now = cache?.now ?? Date.now;
  const resolved = new LRUCache<string, { expires: number; lookup: Promise<Account | null> }>({ max: Math.max(1, cache?.maxAccounts ?? 1) });
  const read = async (id: string, bound: LookupOptions | undefined): Promise<Account | null> => {
    const found = await store.getWithToken(id, bound);
    if (!found) return null;
    lifecycle?.seen(id, found.account.status);
    // The stored URL is the normalised `https://<host>/v2`.
    return { id, key: linkedAccountKey(id, found.identity), baseUrl: found.account.apiUrl, token: found.token, tenant: found.account.tenant };
  };
  return {
    defaultId: environment?.id ?? null,
    find(id, options) {
      if (environment && id === environment.id) return Promise.resolve(environment);
      if (!isAccountId(id)) return Promise.resolve(null);
      if (!cache || cache.ttlMs <= 0) return read(id, options);
      const hit = resolved.get(id);
      if (hit && hit.expires > now()) return hit.lookup;
      const lookup = read(id, options);
      const entry = { expires: now() + cache.ttlMs, lookup };
      resolved.set(id, entry);
      const drop = () => {
        if (resolved.peek(id) === entry) resolved.delete(id);
      };
      void lookup.then((account) => (account === null ? drop() : undefined), drop);
      return lookup;
    },
    forget: (id) => void resolved.delete(id),
  };
}
