/**
 * Upstream resilience per Freshchat account (docs/resilience.md): created once per process by the
 * entry point and handed to the server, like the dispatcher. With REDIS_URL the request quota and
 * the catalog cache live in Redis, so replicas share them; the retry budget, breakers and
 * concurrency limit stay per replica, because they react to what this replica sees and a Redis
 * round trip on each of their decisions would buy nothing.
 */
import { LRUCache } from 'lru-cache';
import { accountKey, type Account } from '../account.js';
import type { ResilienceSettings } from '../config.js';
import type { AccountGuard } from '../freshchat/guard.js';
import { createCatalogCache, type CatalogCache } from '../loaders/catalog-cache.js';
import { createBreaker, type Breaker } from './breaker.js';
import { createRetryBudget } from './budget.js';
import { createRedisCatalogCache } from './catalog-cache.js';
import { createAccountGuard } from './guard.js';
import { createQuota } from './quota.js';
import { connectRedis, type ResilienceLog, type SharedStore } from './redis.js';
import { createSemaphore } from './semaphore.js';

export type { ResilienceLog } from './redis.js';

/** What /ready reports about Redis while it cannot be used. */
export const REDIS_FALLBACK = 'unavailable, using in-process limits';

export interface Resilience {
  /** The guard of an account's calls: one per account for the life of the process. */
  forAccount(account: Account): AccountGuard;
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
  const guards = new LRUCache<string, AccountGuard>({ max: settings.maxAccounts });
  const gauge = { inFlight: 0 };
  return {
    forAccount(account) {
      const key = accountKey(account);
      let guard = guards.get(key);
      if (!guard) guards.set(key, (guard = createGuard(account, settings, store, deps.log, gauge)));
      return guard;
    },
    catalogs: createCatalogs(settings, store, deps),
    redisStatus: async () => (store === undefined ? undefined : (await store.check()) === 'ok' ? 'ok' : REDIS_FALLBACK),
    inFlight: () => gauge.inFlight,
    close: async () => store?.close(),
  };
}

function createGuard(
  account: Account,
  settings: ResilienceSettings,
  store: SharedStore | undefined,
  log: ResilienceLog,
  gauge: { inFlight: number },
): AccountGuard {
  const onEmpty = () => log.warn({ account: account.id }, 'Freshchat retry budget exhausted: failed calls are not retried until calls succeed again');
  return createAccountGuard({
    quota: createQuota({
      key: accountKey(account),
      perMinute: settings.ratePerMinute,
      maxWaiting: settings.maxConcurrency,
      keyPrefix: settings.redisKeyPrefix,
      redis: store?.client,
    }),
    slots: createSemaphore(settings.maxConcurrency, settings.maxQueue),
    budget: createRetryBudget(settings.retryBudget, onEmpty),
    breakerFor: createBreakers(account, settings, log),
    gauge,
  });
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
  // Loaders name a catalog by accountKey(account), so replicas and deployments never mix accounts.
  const keyOf = (key: string, catalog: string) => `${settings.redisKeyPrefix}:catalog:v1:${key}:${catalog}`;
  return createRedisCatalogCache({ client: store.client, ttlMs: deps.catalogTtlMs, keyOf, fallback: local });
}
