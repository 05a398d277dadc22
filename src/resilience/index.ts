/**
 * Upstream resilience per Freshchat account (docs/resilience.md): created once per process by the
 * entry point and handed to the server, like the dispatcher. With REDIS_URL the request quota and
 * the catalog cache live in Redis, so replicas share them; the retry budget, breakers and
 * concurrency limit stay per replica, because they react to what this replica sees and a Redis
 * round trip on each of their decisions would buy nothing.
 */
import { LRUCache } from 'lru-cache';
import type { Account } from '../account.js';
import type { ResilienceSettings } from '../config.js';
import type { AccountGuard } from '../freshchat/guard.js';
import { createCatalogCache, type CatalogCache } from '../loaders/catalog-cache.js';
import { createBreaker, type Breaker } from './breaker.js';
import { createRetryBudget } from './budget.js';
import { createRedisCatalogCache } from './catalog-cache.js';
import { createAccountGuard } from './guard.js';
import { BACKGROUND_PRIORITY, createQuota } from './quota.js';
import { connectRedis, type ResilienceLog, type SharedStore } from './redis.js';
import { createSemaphore } from './semaphore.js';

export type { ResilienceLog } from './redis.js';

/** What /ready reports about Redis while it cannot be used. */
export const REDIS_FALLBACK = 'unavailable, using in-process limits';

export interface Resilience {
  /** The guard of an account's calls: one per account for the life of the process. */
  forAccount(account: Account): AccountGuard;
  /**
   * The guard of an account's background calls (the sync poller): the same limits and breakers, but
   * its calls wait for turns no caller is waiting for, within half of the account's rate.
   */
  forBackground(account: Account): AccountGuard;
  /** Groups/roles catalog cache: in Redis when configured, else in process. */
  readonly catalogs: CatalogCache;
  /**
   * For /ready: `ok` or REDIS_FALLBACK, from a PING answered within the command timeout (a frozen
   * server that still accepts TCP reads as down); undefined when REDIS_URL is not set. Never rejects.
   */
  redisStatus(): Promise<string | undefined>;
  /**
   * Upstream requests being sent or read right now, every account together: a gauge for metrics,
   * and how tests on a fake clock know that only timers are pending.
   */
  inFlight(): number;
  /**
   * The account's key was retired (unlinked, or re-pointed at another URL): its guard goes, and its
   * quota and adaptive rate in Redis with it. Nothing would ever read them again (keys are never
   * reused); this frees them now rather than when they expire.
   */
  forgetAccount(accountKey: string): Promise<void>;
  close(): Promise<void>;
}

export interface ResilienceDeps {
  log: ResilienceLog;
  catalogTtlMs: number;
}

export function createResilience(settings: ResilienceSettings, deps: ResilienceDeps): Resilience {
  const store = settings.redisUrl === undefined ? undefined : connectRedis(settings.redisUrl.reveal(), deps.log);
  // Bounded: a guard dropped here lives on in the requests still using it, and its account starts
  // afresh on its next request (its quota and adaptive rate are kept in Redis when configured).
  const guards = new LRUCache<string, Guards>({ max: settings.maxAccounts });
  const gauge = { inFlight: 0 };
  const guardsOf = (account: Account): Guards => {
    const { key } = account;
    let found = guards.get(key);
    if (!found) guards.set(key, (found = createGuards(account, settings, store, deps.log, gauge)));
    return found;
  };
  return {
    forAccount: (account) => guardsOf(account).caller,
    forBackground: (account) => guardsOf(account).background,
    catalogs: createCatalogs(settings, store, deps),
    redisStatus: async () => (store === undefined ? undefined : (await store.check()) === 'ok' ? 'ok' : REDIS_FALLBACK),
    inFlight: () => gauge.inFlight,
    async forgetAccount(accountKey) {
      guards.delete(accountKey);
      const prefix = settings.redisKeyPrefix;
      // The quota's and the adaptive rate's keys (./quota.ts): never awaited past a failing Redis.
      await store?.client.del(`${prefix}:quota:${accountKey}`, `${prefix}:aimd:${accountKey}`).catch(() => undefined);
    },
    close: async () => store?.close(),
  };
}

/** One account's limits, seen by its callers and by its background work at a lower priority. */
interface Guards {
  caller: AccountGuard;
  background: AccountGuard;
}

function createGuards(
  account: Account,
  settings: ResilienceSettings,
  store: SharedStore | undefined,
  log: ResilienceLog,
  gauge: { inFlight: number },
): Guards {
  const onEmpty = () => log.warn({ account: account.id }, 'Freshchat retry budget exhausted: failed calls are not retried until calls succeed again');
  const parts = {
    quota: createQuota({
      key: account.key,
      perMinute: settings.ratePerMinute,
      maxWaiting: settings.maxConcurrency,
      keyPrefix: settings.redisKeyPrefix,
      redis: store?.client,
    }),
    slots: createSemaphore(settings.maxConcurrency, settings.maxQueue),
    budget: createRetryBudget(settings.retryBudget, onEmpty),
    breakerFor: createBreakers(account, settings, log),
    gauge,
  };
  return { caller: createAccountGuard(parts), background: createAccountGuard({ ...parts, priority: BACKGROUND_PRIORITY }) };
}

/** One breaker per endpoint family of the account, created on first use; transitions are logged. */
function createBreakers(account: Account, settings: ResilienceSettings, log: ResilienceLog): (family: string) => Breaker {
  const breakers = new Map<string, Breaker>();
  return (family) => {
    let breaker = breakers.get(family);
    if (!breaker) {
      const onChange = (state: string) => {
        const fields = { account: account.id, family, circuit: state };
        if (state === 'closed') log.info(fields, `Freshchat /${family} circuit closed: calls flow again`);
        else log.warn(fields, `Freshchat /${family} circuit ${state}`);
      };
      breaker = createBreaker({ threshold: settings.breakerFailures, cooldownMs: settings.breakerCooldownMs, onChange });
      breakers.set(family, breaker);
    }
    return breaker;
  };
}

function createCatalogs(settings: ResilienceSettings, store: SharedStore | undefined, deps: ResilienceDeps): CatalogCache {
  const local = createCatalogCache(deps.catalogTtlMs, { maxAccounts: settings.maxAccounts });
  if (store === undefined) return local;
  // Loaders name a catalog by the account's key, so replicas and deployments never mix accounts.
  const keyOf = (key: string, catalog: string) => `${settings.redisKeyPrefix}:catalog:v1:${key}:${catalog}`;
  return createRedisCatalogCache({ client: store.client, ttlMs: deps.catalogTtlMs, keyOf, fallback: local });
}
