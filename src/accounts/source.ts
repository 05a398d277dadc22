import { LRUCache } from 'lru-cache';
import { linkedAccountKey, type Account, type AccountSource } from '../account.js';
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
 * linked is asked again, so an account linked through another replica is usable there at once.
 */
export function createAccountSource(
  store: Pick<AccountStore, 'getWithToken'>,
  environment: Account | null,
  options: { lifecycle?: CredentialLifecycle; cache?: ResolvedCacheOptions } = {},
): LinkedAccountSource {
  const { lifecycle, cache } = options;
  const now = cache?.now ?? Date.now;
  const resolved = new LRUCache<string, { expires: number; lookup: Promise<Account | null> }>({ max: Math.max(1, cache?.maxAccounts ?? 1) });
  const read = async (id: string): Promise<Account | null> => {
    const found = await store.getWithToken(id);
    if (!found) return null;
    lifecycle?.seen(id, found.account.status);
    // The stored URL is the normalised `https://<host>/v2`.
    return { id, key: linkedAccountKey(id, found.identity), baseUrl: found.account.apiUrl, token: found.token, tenant: found.account.tenant };
  };
  return {
    defaultId: environment?.id ?? null,
    find(id) {
      if (environment && id === environment.id) return Promise.resolve(environment);
      if (!cache || cache.ttlMs <= 0) return read(id);
      const hit = resolved.get(id);
      if (hit && hit.expires > now()) return hit.lookup;
      const lookup = read(id);
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
