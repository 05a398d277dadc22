import { setMaxListeners } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Account, AccountSource } from './account.js';
import { ACCOUNT_HEADER, createRequestAccounts, type Caller, type RequestAccounts } from './accounts/per-request.js';
import { createFreshchatClient, type AttemptInfo } from './freshchat/client.js';
import { headerValue } from './freshchat/decode.js';
import { createCallCeiling } from './resilience/call-ceiling.js';
import type { RetryPolicy } from './freshchat/retry.js';
import { createLoaders, type Loaders } from './resources/index.js';
import type { CatalogCache, TotalsHint } from './loaders/catalog-cache.js';
import type { Idempotency } from './idempotency/run.js';
import type { PageCache } from './loaders/page-cache.js';
import type { Resilience } from './resilience/index.js';
import { deadlineSignal } from './resilience/signals.js';

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

/** What every resolver sees: the accounts this request may use, and its loaders for each. */
export interface Context extends RequestStats {
  readonly accounts: RequestAccounts;
  /** MAX_CURSOR_OFFSET: deeper cursors are BAD_USER_INPUT before any upstream call. */
  readonly maxCursorOffset: number;
  /** This request's loaders for an account it resolved, created on first use. */
  loaders(account: Account): Loaders;
  /** The loaders of the account a model came from (every model comes from one this request resolved). */
  loadersOf(accountId: string): Loaders;
  /** Idempotency keys of writes, shared by every request (docs/design.md#writes-and-idempotency). */
  readonly idempotency: Idempotency;
  /** Fires at the request's deadline. */
  readonly signal: AbortSignal;
}

/** The parts of the HTTP request the context reads. */
export interface ContextRequest {
  headers: IncomingHttpHeaders;
  /** Aborts when the caller disconnects before its answer was sent. */
  callerGone?: AbortSignal;
}

export interface ContextDeps {
  accounts: AccountSource;
  dispatcher: Dispatcher;
  retry: RetryPolicy;
  pageSize: number;
  /** Groups/roles across requests: the resilience layer's (Redis) cache when it is wired. */
  catalogs: CatalogCache;
  totals: TotalsHint;
  /** Agent pages across requests (AGENT_PAGE_CACHE_TTL_MS); off unless configured. */
  pages?: PageCache;
  /** Every upstream call of one GraphQL request ends by then (below a router's 30 s). */
  deadlineMs: number;
  maxCursorOffset: number;
  /** MAX_UPSTREAM_CALLS_PER_REQUEST: attempts past it fail without being sent. */
  maxUpstreamCalls: number;
  /**
   * Per-account quota, concurrency, retry budget and breakers, shared by every request of the
   * process (src/bootstrap.ts always wires it). Without it calls are unguarded, as in tests that
   * count raw upstream calls.
   */
  resilience?: Resilience;
  idempotency: Idempotency;
  /** Who is calling (docs/design.md#caller-authentication); absent when caller authentication is not configured. */
  authenticate?: (request: ContextRequest) => Promise<Caller | undefined>;
  /**
   * Sees every upstream attempt with its account, never the token: metrics and logs
   * (src/observability/upstream.ts), the credential lifecycle of linked accounts.
   */
  observeAttempt?: (account: Account, info: AttemptInfo) => void;
}

/**
 * Builds a fresh context per GraphQL request: one deadline signal (joined by `callerGone`, the HTTP
 * request's close, for the request's own calls), the accounts the request may use, and per account
 * one client and one set of loaders, so nothing cached in a loader outlives the request or crosses
 * accounts.
 */
export function createContextFactory(deps: ContextDeps): (request: ContextRequest) => Promise<Context> {
  return async (request) => {
    const caller = await deps.authenticate?.(request);
    const accounts = createRequestAccounts(deps.accounts, { header: headerValue(request.headers[ACCOUNT_HEADER]), caller });
    const timeout = deadlineSignal(deps.deadlineMs);
    // A caller that disconnects cancels its own upstream calls, so abandoned work stops spending quota.
    const signal = request.callerGone ? AbortSignal.any([timeout, request.callerGone]) : timeout;
    // Every concurrent upstream call of the request listens on this one signal (12 groups' members
    // are 12 listeners); undici removes each listener when its call ends, so this is no leak.
    setMaxListeners(1_000, signal, timeout);
    const deadline = Date.now() + deps.deadlineMs;
    const perAccount = new Map<string, Loaders>();
    const stats = { upstreamCalls: 0 };
    const ceiling = createCallCeiling(deps.maxUpstreamCalls);
    const loaders = (account: Account): Loaders => {
      let found = perAccount.get(account.id);
      if (!found) {
        const guard = ceiling.guard(deps.resilience?.forAccount(account));
        // The client reports each request it actually sends (a call refused by a limit is not one).
        const onAttempt = (info: AttemptInfo) => {
          stats.upstreamCalls += 1;
          deps.observeAttempt?.(account, info);
        };
        const options = { account, dispatcher: deps.dispatcher, retry: deps.retry, deadline, guard, onAttempt };
        const client = createFreshchatClient({ ...options, signal });
        // The groups/roles walk is shared with every request waiting on the catalog cache: one caller
        // leaving must not abort it, so it runs under the deadline alone.
        const shared = createFreshchatClient({ ...options, signal: timeout });
        found = createLoaders({ client, shared, pageSize: deps.pageSize, catalogs: deps.catalogs, totals: deps.totals, pages: deps.pages });
        perAccount.set(account.id, found);
      }
      return found;
    };
    return {
      accounts,
      maxCursorOffset: deps.maxCursorOffset,
      stats,
      idempotency: deps.idempotency,
      signal,
      loaders,
      loadersOf(accountId) {
        const account = accounts.resolved(accountId);
        // Models are only built for accounts this request resolved, so this is an invariant, not input.
        if (!account) throw new Error(`account ${accountId} was not resolved in this request`);
        return loaders(account);
      },
    };
  };
}
