/**
 * The port through which the transport consults the resilience layer (src/resilience) around every
 * HTTP attempt: per-account rate and concurrency limits, circuit breakers and the retry budget. The
 * transport works without one (unit tests, tools); the server always wires one (src/bootstrap.ts).
 *
 * Idempotency is part of the contract: a guard may refuse or delay an attempt, never repeat one, and
 * only the retry loop decides to send a call again, which it does for idempotent calls only.
 */
import type { Dispatcher } from 'undici';
import { FreshchatError } from '../errors.js';
import { headerValue } from './decode.js';
import { parseRetryAfter, type Attempt, type RetryBudget } from './retry.js';

/** What one Freshchat answer said about the account's quota (Freshdesk-style headers, by analogy). */
export interface QuotaHints {
  /** Freshchat answered 429: the account is over a limit, whatever the headers say (adaptive quota). */
  throttled?: boolean;
  /** Seconds to hold every call of the account (Retry-After of a 429). */
  retryAfter?: number;
  /** X-RateLimit-Total: the account's requests per minute. */
  total?: number;
  /** X-RateLimit-Remaining: requests left in Freshchat's current minute. */
  remaining?: number;
}

/**
 * For the breaker: `failure` is a 5xx, a timeout or a connection fault; `cancelled` an attempt cut
 * because its caller went away (it says nothing about Freshchat); any other answer is `success`.
 */
export interface AttemptReport {
  verdict: 'success' | 'failure' | 'cancelled';
  hints: QuotaHints;
}

export interface Permit {
  /** Reports the attempt and frees its slot; never rejects. */
  release(report: AttemptReport): Promise<void>;
}

export interface AttemptRequest {
  /** Endpoint family, the first path segment: agents, users, groups, roles, accounts. */
  family: string;
  idempotent: boolean;
  signal: AbortSignal | undefined;
  /** Epoch ms of the request deadline, when known: waits that cannot end before it are refused. */
  deadline: number | undefined;
}

export interface AccountGuard {
  /**
   * Waits for the attempt's turn, or rejects with a FreshchatError (RATE_LIMITED with retryAfter,
   * UNAVAILABLE when the circuit is open) so that the attempt fails without reaching Freshchat.
   */
  enter(request: AttemptRequest): Promise<Permit>;
  readonly budget: RetryBudget;
}

/** The guard's permit for one attempt, or the FreshchatError it refused the attempt with. */
export async function admit(guard: AccountGuard | undefined, request: AttemptRequest): Promise<Permit | FreshchatError | undefined> {
  if (guard === undefined) return undefined;
  try {
    return await guard.enter(request);
  } catch (error) {
    if (error instanceof FreshchatError) return error;
    throw error; // a bug, not an upstream fault: let it surface as an internal error
  }
}

type Headers = Dispatcher.ResponseData['headers'];

/**
 * How one attempt ended, for the guard. Every UNAVAILABLE counts against the breaker — a hang cut by
 * the request deadline included — except an attempt cut because its caller disconnected.
 */
export function toReport(
  outcome: Attempt<unknown>,
  head: { status: number; headers: Headers } | undefined,
  now: number,
  signal: AbortSignal | undefined,
): AttemptReport {
  const hints = readQuotaHints(head?.status, head?.headers, now);
  if (outcome.ok || outcome.error.kind !== 'UNAVAILABLE') return { verdict: 'success', hints };
  return { verdict: signal?.aborted && !isDeadline(signal.reason) ? 'cancelled' : 'failure', hints };
}

/** The request deadline aborts with a TimeoutError (AbortSignal.timeout does too); a leaving caller does not. */
export function isDeadline(reason: unknown): boolean {
  return reason instanceof DOMException && reason.name === 'TimeoutError';
}

/** Reads the quota headers of one answer; unreadable values are ignored, not guessed. */
export function readQuotaHints(status: number | undefined, headers: Headers | undefined, now: number): QuotaHints {
  if (status === undefined || headers === undefined) return {};
  const hints: QuotaHints = {};
  const total = count(headerValue(headers['x-ratelimit-total']));
  const remaining = count(headerValue(headers['x-ratelimit-remaining']));
  if (total !== undefined && total > 0) hints.total = total;
  if (remaining !== undefined) hints.remaining = remaining;
  // Only a 429 holds the whole account: a 503's Retry-After is about that call (the breaker's concern).
  if (status === 429) {
    hints.throttled = true;
    const retryAfter = parseRetryAfter(headerValue(headers['retry-after']), now);
    if (retryAfter !== undefined && retryAfter > 0) hints.retryAfter = retryAfter;
  }
  return hints;
}

function count(value: string | undefined): number | undefined {
  return value !== undefined && /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : undefined;
}
