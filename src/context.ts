import { setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import type { Account, AccountRegistry } from './account.js';
import { createFreshchatClient } from './freshchat/client.js';
import type { RetryPolicy } from './freshchat/retry.js';
import type { AttemptInfo } from './freshchat/transport.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import type { CatalogCache, TotalsHint } from './loaders/catalog-cache.js';
import type { Resilience } from './resilience/index.js';

/**
 * What the access log reports of one GraphQL request. An object held by reference, because Apollo
 * Server shallow-copies the context value it is given.
 */
export interface RequestStats {
  readonly stats: {
    /** HTTP requests sent to Freshchat for this GraphQL request so far, retries included. */
    upstreamCalls: number;
  };
}

/** What every resolver sees: the linked accounts, and this request's loaders for each of them. */
export interface Context extends RequestStats {
  readonly accounts: AccountRegistry;
  /** This request's loaders for an account, created on first use. */
  loaders(account: Account): Loaders;
}

export interface ContextDeps {
  accounts: AccountRegistry;
  dispatcher: Dispatcher;
  retry: RetryPolicy;
  pageSize: number;
  /** Groups/roles across requests: the resilience layer's (Redis) cache when it is wired. */
  catalogs: CatalogCache;
  totals: TotalsHint;
  /** Every upstream call of one GraphQL request ends by then (below a router's 30 s). */
  deadlineMs: number;
  /**
   * Per-account quota, concurrency, retry budget and breakers, shared by every request of the
   * process (src/bootstrap.ts always wires it). Without it calls are unguarded, as in tests that
   * count raw upstream calls.
   */
  resilience?: Resilience;
  /** Sees every upstream attempt, for metrics and logs (src/observability/upstream.ts). */
  onAttempt?: (account: Account, info: AttemptInfo) => void;
}

/**
 * Builds a fresh context per GraphQL request: one deadline signal, and per account one client and one
 * set of loaders, so nothing cached in a loader outlives the request or crosses accounts.
 */
export function createContextFactory(deps: ContextDeps): () => Context {
  return () => {
    const signal = AbortSignal.timeout(deps.deadlineMs);
    // Every concurrent upstream call of the request listens on this one signal (12 groups' members
    // are 12 listeners); undici removes each listener when its call ends, so this is no leak.
    setMaxListeners(1_000, signal);
    const deadline = Date.now() + deps.deadlineMs;
    const perAccount = new Map<string, Loaders>();
    const stats = { upstreamCalls: 0 };
    // The client reports each request it actually sends (a call refused by a limit is not one).
    const count = () => void (stats.upstreamCalls += 1);
    return {
      accounts: deps.accounts,
      stats,
      loaders(account) {
        let loaders = perAccount.get(account.id);
        if (!loaders) {
          const guard = deps.resilience?.forAccount(account);
          const onAttempt = (info: AttemptInfo) => (count(), deps.onAttempt?.(account, info));
          const client = createFreshchatClient({ account, dispatcher: deps.dispatcher, retry: deps.retry, signal, deadline, guard, onAttempt });
          loaders = createLoaders({ client, pageSize: deps.pageSize, catalogs: deps.catalogs, totals: deps.totals });
          perAccount.set(account.id, loaders);
        }
        return loaders;
      },
    };
  };
}
