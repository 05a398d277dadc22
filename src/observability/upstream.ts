/**
 * What every Freshchat attempt tells metrics and logs, through the client's `onAttempt` hook and a
 * wrapper around the resilience layer's guard (neither layer knows about Prometheus or pino).
 */
import { performance } from 'node:perf_hooks';
import type { Account } from '../account.js';
import { FreshchatError } from '../errors.js';
import type { AccountGuard } from '../freshchat/guard.js';
import { toFamily } from '../freshchat/request.js';
import type { AttemptInfo } from '../freshchat/transport.js';
import type { Logger } from '../logger.js';
import type { CatalogCache } from '../loaders/catalog-cache.js';
import type { Resilience, ResilienceLog } from '../resilience/index.js';
import { currentScope } from '../request-scope.js';
import type { AccountLabel } from './account-labels.js';
import { BREAKER_STATE_VALUE, type Metrics } from './metrics.js';

export type AttemptObserver = (account: Account, info: AttemptInfo) => void;

/**
 * Counts the attempt and logs it: `debug` for every attempt, `warn` with its cause for a failure an
 * operator must act on (a transport fault, a timeout, 401/403, 429, 5xx). A 404 is an answer (a
 * lookup of an unknown id), not a failure; so is a page past the end (Freshchat's WRONG_PAGE, counted
 * with that status, not its HTTP one): the end of a list whose length changed since it was planned.
 */
export function createAttemptObserver(metrics: Metrics | undefined, logger: Logger): AttemptObserver {
  return (account, info) => {
    currentScope()?.accounts.add(account.id);
    const family = toFamily(info.path);
    const status = info.status === undefined ? (info.error ?? 'UNKNOWN') : isEndOfList(info) ? 'WRONG_PAGE' : String(info.status);
    if (metrics) {
      metrics.upstreamRequests.inc({ family, status });
      metrics.upstreamDuration.observe({ family }, info.durationMs / 1000);
      if (info.attempt > 1) metrics.upstreamRetries.inc({ family });
      if (info.status === 429) metrics.upstreamRateLimited.inc({ family });
    }
    const line = { account: account.id, method: info.method, path: info.path, status, attempt: info.attempt, durationMs: Math.round(info.durationMs) };
    if (isActionable(info)) logger.warn({ ...line, cause: info.error }, `Freshchat call failed: ${describe(info)}`);
    else logger.debug(line, 'Freshchat call');
  };
}

function isActionable(info: AttemptInfo): boolean {
  if (info.status === undefined) return info.error !== undefined;
  return info.status >= 400 && info.status !== 404 && !isEndOfList(info);
}

const isEndOfList = (info: AttemptInfo): boolean => info.error === 'PAGE_OUT_OF_RANGE';

function describe(info: AttemptInfo): string {
  if (info.status === undefined) return info.error === 'ABORTED' ? 'request deadline reached' : `transport fault ${info.error ?? 'UNKNOWN'}`;
  return `HTTP ${info.status} on ${info.method} ${info.path}`;
}

/**
 * The resilience layer with each account's guard measured: the wait for a slot and a quota turn,
 * and every refusal by reason. Breaker states come from its log hook (createResilienceLog).
 */
export function instrumentResilience(resilience: Resilience, metrics: Metrics): Resilience {
  const guards = new WeakMap<AccountGuard, AccountGuard>();
  return {
    catalogs: instrumentCatalogs(resilience.catalogs, metrics),
    redisStatus: () => resilience.redisStatus(),
    inFlight: () => resilience.inFlight(),
    forgetAccount: (accountKey) => resilience.forgetAccount(accountKey),
    close: () => resilience.close(),
    // Not measured: the poller's waits are by design (it yields to callers), not a sign of pressure.
    forBackground: (account) => resilience.forBackground(account),
    forAccount(account) {
      const guard = resilience.forAccount(account);
      let measured = guards.get(guard);
      if (!measured) guards.set(guard, (measured = measureGuard(guard, metrics)));
      return measured;
    },
  };
}

function measureGuard(guard: AccountGuard, metrics: Metrics): AccountGuard {
  return {
    budget: guard.budget,
    async enter(request) {
      const started = performance.now();
      try {
        const permit = await guard.enter(request);
        metrics.quotaWait.observe({ family: request.family }, (performance.now() - started) / 1000);
        return permit;
      } catch (error) {
        metrics.upstreamRefused.inc({ family: request.family, reason: refusalReason(error) });
        throw error;
      }
    },
  };
}

function refusalReason(error: unknown): string {
  if (!(error instanceof FreshchatError)) return 'error';
  if (error.kind === 'RATE_LIMITED') return 'quota';
  return /circuit open/.test(error.message) ? 'circuit_open' : 'deadline';
}

/**
 * The resilience layer's log, also setting the breaker gauge from its transition lines. The gauge's
 * `account` label is `label(id)` (./account-labels.ts); a line whose label differs carries it too.
 */
export function createResilienceLog(logger: Logger, metrics: Metrics | undefined, label: AccountLabel = (id) => id): ResilienceLog {
  const observe = (fields: object): object => {
    const { account, family, circuit } = fields as { account?: unknown; family?: unknown; circuit?: unknown };
    if (typeof account !== 'string') return fields;
    if (metrics && typeof family === 'string' && isBreakerState(circuit)) {
      metrics.breakerState.set({ account: label(account), family }, BREAKER_STATE_VALUE[circuit]);
    }
    return label(account) === account ? fields : { ...fields, accountLabel: label(account) };
  };
  // Tagged, so an operator can filter limits, breakers and Redis from request lines.
  const log = logger.child({ component: 'resilience' });
  return {
    info: (fields, message) => log.info(observe(fields), message),
    warn: (fields, message) => log.warn(observe(fields), message),
  };
}

const isBreakerState = (value: unknown): value is keyof typeof BREAKER_STATE_VALUE =>
  typeof value === 'string' && value in BREAKER_STATE_VALUE;

/** The catalog cache, counting hits (answered without calling `load`) and misses. */
export function instrumentCatalogs(catalogs: CatalogCache, metrics: Metrics): CatalogCache {
  return {
    clear: () => catalogs.clear(),
    invalidate: (accountKey, catalog) => catalogs.invalidate(accountKey, catalog),
    forgetAccount: (accountKey) => catalogs.forgetAccount(accountKey),
    async get(accountKey, catalog, load) {
      let missed = false;
      const value = await catalogs.get(accountKey, catalog, () => ((missed = true), load()));
      metrics.cacheLookups.inc({ cache: catalog, result: missed ? 'miss' : 'hit' });
      return value;
    },
  };
}
