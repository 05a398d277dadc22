/**
 * The one place an account's transport is built. Every Freshchat call — a GraphQL request's, the
 * /ready probe's, the passthrough's, a credential check at link time — goes through a transport
 * composed here from the same policies, in the same order:
 *
 *   caller-gone signal + deadline → retry policy → call ceiling → account guard → attempt observers
 *
 * The process-wide parts (dispatcher, retry policy, each account's guard, the observer that feeds
 * metrics, logs and the credential lifecycle) are given once at start; each use adds what is its
 * own (its deadline, its caller, its request's ceiling), so no caller assembles options by hand.
 */
import { setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import type { Account } from '../account.js';
import { createFreshchatClient, type FreshchatClient } from './client.js';
import type { AccountGuard } from './guard.js';
import type { RetryPolicy } from './retry.js';
import type { Deadline } from './signals.js';
import { createTransport, type AttemptInfo, type ClientOptions, type Send } from './transport.js';

export interface TransportDeps {
  /** The one process-wide dispatcher (./http.ts), or a MockAgent in tests. */
  dispatcher: Dispatcher;
  retry: RetryPolicy;
  /** The account's limits, breakers and retry budget (src/resilience), one guard per account. */
  guardOf?: (account: Account) => AccountGuard;
  /** The same account's guard for background work (the sync poller): behind callers, within its share. */
  backgroundGuardOf?: (account: Account) => AccountGuard;
  /** Sees every attempt of every account, never the token: metrics, logs, the credential lifecycle. */
  observe?: (account: Account, info: AttemptInfo) => void;
}

/** What one use of an account's transport brings of its own. */
export interface TransportUse {
  deadline: Deadline;
  /**
   * Fires when the caller has gone: its calls stop spending the account's quota, and count as
   * cancelled, not failed, for the breaker. Absent for work shared with other callers.
   */
  callerGone?: AbortSignal;
  /** The request's call ceiling (src/resilience/call-ceiling.ts), in front of the account's guard. */
  ceiling?: { guard(inner: AccountGuard | undefined): AccountGuard };
  /** This use's own observer, beside the process-wide one (a GraphQL request counts its calls). */
  onAttempt?: (info: AttemptInfo) => void;
  /**
   * `probe`: one attempt, never retried; it answers what Freshchat says now (/ready).
   * `candidate`: the same, for a URL and token not linked yet: no account's guard or observers.
   * `background`: retried like a call, through the account's background guard (docs/sync.md).
   */
  kind?: 'call' | 'probe' | 'candidate' | 'background';
}

export interface AccountTransports {
  /** One account's transport for one use. */
  send(account: Account, use: TransportUse): Send;
  /** The same, as the typed Freshchat client the resource modules read through. */
  client(account: Account, use: TransportUse): FreshchatClient;
}

const ONE_ATTEMPT: RetryPolicy = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

export function createAccountTransports(deps: TransportDeps): AccountTransports {
  const optionsFor = (account: Account, use: TransportUse): ClientOptions => {
    const kind = use.kind ?? 'call';
    const signal = use.callerGone ? AbortSignal.any([use.deadline.signal, use.callerGone]) : use.deadline.signal;
    // Every concurrent call of a request listens on this one signal (12 groups' members are 12
    // listeners); undici removes each listener when its call ends, so this is no leak.
    setMaxListeners(1_000, signal);
    const candidate = kind === 'candidate';
    const guard = candidate ? undefined : kind === 'background' ? deps.backgroundGuardOf?.(account) : deps.guardOf?.(account);
    const observe = candidate ? undefined : deps.observe;
    return {
      account,
      dispatcher: deps.dispatcher,
      retry: kind === 'call' || kind === 'background' ? deps.retry : ONE_ATTEMPT,
      signal,
      deadline: use.deadline.at,
      guard: use.ceiling ? use.ceiling.guard(guard) : guard,
      onAttempt: (info) => {
        use.onAttempt?.(info);
        observe?.(account, info);
      },
    };
  };
  return {
    send: (account, use) => createTransport(optionsFor(account, use)),
    client: (account, use) => lazyClient(account, () => createFreshchatClient(optionsFor(account, use))),
  };
}

/**
 * The client built on its first call: a GraphQL request opens two per account (its own and the
 * shared walk's), and most requests call through one of them or none (catalogs and pages cached),
 * while each costs a joined abort signal and a transport.
 */
function lazyClient(account: Account, build: () => FreshchatClient): FreshchatClient {
  let client: FreshchatClient | undefined;
  const get = () => (client ??= build());
  return {
    account,
    list: (path, decode, query, page) => get().list(path, decode, query, page),
    find: (collection, id, decode) => get().find(collection, id, decode),
    read: (path, decode, query) => get().read(path, decode, query),
    write: (method, path, body, decode) => get().write(method, path, body, decode),
  };
}
