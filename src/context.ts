import type { IncomingHttpHeaders } from 'node:http';
import type { AccountSource } from './account.js';
import { ACCOUNT_HEADER, createRequestAccounts, type Caller, type RequestAccounts } from './accounts/per-request.js';
import type { AccountTransports } from './freshchat/account-transport.js';
import { headerValue } from './freshchat/decode.js';
import { startDeadline, type Deadline } from './freshchat/signals.js';
import { createCallCeiling } from './resilience/call-ceiling.js';
import { createLoaders, type Loaders } from './resources/index.js';
import type { CatalogCache, TotalsHint } from './loaders/catalog-cache.js';
import type { Idempotency } from './idempotency/run.js';
import type { PageCache } from './loaders/page-cache.js';
import type { SyncPort } from './sync/port.js';

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

/** What every resolver sees: the accounts this request may use, each with its loaders. */
export interface Context extends RequestStats {
  /** Resolves an account for the request (once) and answers its loaders; null when it may not be used. */
  readonly accounts: RequestAccounts<Loaders>;
  /** MAX_CURSOR_OFFSET: deeper cursors are BAD_USER_INPUT before any upstream call. */
  readonly maxCursorOffset: number;
  /**
   * The loaders of the account a model came from: every model carries its `accountId`, and comes
   * from an account this request resolved, so this is one lookup.
   */
  loadersOf(accountId: string): Loaders;
  /** Idempotency keys of writes, shared by every request (docs/design.md#writes-and-idempotency). */
  readonly idempotency: Idempotency;
  /** Fires at the request's deadline. */
  readonly signal: AbortSignal;
  /** The change log (docs/sync.md): `freshchat { changes }` and the changes writes record. */
  readonly sync: SyncPort | undefined;
}

/** The parts of the HTTP request the context reads. */
export interface ContextRequest {
  headers: IncomingHttpHeaders;
  /** Aborts when the caller disconnects before its answer was sent. */
  callerGone?: AbortSignal;
}

export interface ContextDeps {
  accounts: AccountSource;
  /** Every account's transport (src/freshchat/account-transport.ts): guard, retries and observers included. */
  transports: AccountTransports;
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
  idempotency: Idempotency;
  /** The change log; src/bootstrap.ts always wires it. */
  sync?: SyncPort;
  /** Who is calling (docs/design.md#caller-authentication); absent when caller authentication is not configured. */
  authenticate?: (request: ContextRequest) => Promise<Caller | undefined>;
}

/**
 * Builds a fresh context per GraphQL request: one deadline (joined by `callerGone`, the HTTP
 * request's close, for the request's own calls), one call ceiling, the accounts the request may use,
 * and per account one client and one set of loaders, so nothing cached in a loader outlives the
 * request or crosses accounts.
 */
export function createContextFactory(deps: ContextDeps): (request: ContextRequest) => Promise<Context> {
  return async (request) => {
    const caller = await deps.authenticate?.(request);
    const deadline = startDeadline(deps.deadlineMs);
    const stats = { upstreamCalls: 0 };
    // The transport reports each request it actually sends (a call refused by a limit is not one).
    const use = { deadline, ceiling: createCallCeiling(deps.maxUpstreamCalls), onAttempt: () => void (stats.upstreamCalls += 1) };
    const accounts = createRequestAccounts(
      deps.accounts,
      // No registry lookup outlives the request's deadline.
      { header: headerValue(request.headers[ACCOUNT_HEADER]), caller, deadline: deadline.at },
      (account) =>
      createLoaders({
        // A caller that disconnects cancels its own upstream calls, so abandoned work stops spending quota.
        client: deps.transports.client(account, { ...use, callerGone: request.callerGone }),
        // The groups/roles walk is shared with every request waiting on the catalog cache: one caller
        // leaving must not abort it, so it runs under the deadline alone.
        shared: deps.transports.client(account, use),
        pageSize: deps.pageSize,
        catalogs: deps.catalogs,
        totals: deps.totals,
        pages: deps.pages,
      }),
    );
    return new RequestContext(accounts, deps.maxCursorOffset, stats, deps.idempotency, deps.sync, deadline, request.callerGone);
  };
}

/**
 * A class so that `signal` is a getter on the prototype: Apollo Server clones the context value with
 * Object.assign, which would evaluate an own getter for every request; on the prototype it is joined
 * only when asked for (writes), since AbortSignal.any and the deadline's timer are not free.
 */
class RequestContext implements Context {
  private joined: AbortSignal | undefined = undefined;

  constructor(
    readonly accounts: RequestAccounts<Loaders>,
    readonly maxCursorOffset: number,
    readonly stats: { upstreamCalls: number },
    readonly idempotency: Idempotency,
    readonly sync: SyncPort | undefined,
    private readonly deadline: Deadline,
    private readonly callerGone: AbortSignal | undefined,
  ) {}

  get signal(): AbortSignal {
    return (this.joined ??= this.callerGone ? AbortSignal.any([this.deadline.signal, this.callerGone]) : this.deadline.signal);
  }

  loadersOf(accountId: string): Loaders {
    const loaders = this.accounts.opened(accountId);
    // Models are only built for accounts this request resolved, so this is an invariant, not input.
    if (!loaders) throw new Error(`account ${accountId} was not resolved in this request`);
    return loaders;
  }
}
