/**
 * The retry policy of the Freshchat client. Hand-written rather than undici's RetryHandler /
 * interceptors.retry because that one has no jitter (every client retries in lock-step) and caps
 * Retry-After at its maxTimeout (30 s), so a `Retry-After: 60` is retried early and 429s again.
 * Here Retry-After is honoured at any length, but never past the request deadline, and a 429 is
 * backpressure rather than a fault: it is waited out within the deadline without spending attempts.
 */
import { FreshchatError } from '../errors.js';

/** Set by UPSTREAM_MAX_ATTEMPTS, UPSTREAM_RETRY_BASE_MS and UPSTREAM_RETRY_MAX_MS (src/config.ts). */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  /** Backoff ceiling of the first retry; it doubles per retry. */
  baseDelayMs: number;
  /** Cap of the backoff ceiling. */
  maxDelayMs: number;
}

/** Only these statuses mean "the same request may succeed later"; 500 usually means it will not. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Transport faults where the request may never have reached Freshchat, or its answer was lost. */
const RETRYABLE_FAULTS: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Faults where Freshchat took too long: a retry after one of them costs the retry budget double. */
const TIMEOUT_FAULTS: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ABORTED',
]);

export function isTimeoutFault(code: string | undefined): boolean {
  return code !== undefined && TIMEOUT_FAULTS.has(code);
}

export function isRetryableStatus(status: number | undefined): boolean {
  return status !== undefined && RETRYABLE_STATUSES.has(status);
}

export function isRetryableFault(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_FAULTS.has(code);
}

/**
 * Full-jitter exponential backoff: uniform in [0, min(max, base·2^retry)). `retry` is 0 for the
 * wait after the first attempt. Jitter spreads the retries of many requests hit by the same fault.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  return random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
}

/**
 * `Retry-After` in whole seconds (rounded up, never negative): delta-seconds or an HTTP-date.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  // Every HTTP-date form starts with a day name; this keeps Date.parse from reading "-3" as a year.
  const date = /^[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** What one attempt produced, as the retry loop needs to see it. */
export type Attempt<T> =
  | { ok: true; value: T }
  | { ok: false; error: FreshchatError; retryable: boolean; timeout?: boolean };

/**
 * Shared by every call to one account (src/resilience/budget.ts), so that during an outage retries
 * stop multiplying the load instead of each call spending its own UPSTREAM_MAX_ATTEMPTS.
 */
export interface RetryBudget {
  /** Pays for one retry: the tokens taken, or undefined (nothing taken) when it cannot be paid. */
  spend(timeout: boolean): number | undefined;
  /** A call succeeded after a last retry that cost `paid` tokens (0 when it was not retried). */
  refund(paid: number): void;
}

export interface RetryContext {
  policy: RetryPolicy;
  /** Only idempotent requests are ever sent twice; Freshchat has no idempotency key for writes. */
  idempotent: boolean;
  signal: AbortSignal | undefined;
  /** Epoch ms at which `signal` aborts, when known: waits that would cross it are not started. */
  deadline: number | undefined;
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** When set, every retry must be paid from it; none is sent when it is empty. */
  budget?: RetryBudget;
}

/**
 * Runs `attempt` until it succeeds or fails for good. Two kinds of failure are told apart:
 *
 * - A **429** (Freshchat's backpressure: the account is fine, only busy) is waited out for as long as
 *   the request deadline allows, spending neither UPSTREAM_MAX_ATTEMPTS nor the retry budget; when
 *   the next wait cannot end before the deadline it fails at once, with RATE_LIMITED and retryAfter.
 *   Without a known deadline there is nothing to bound the waiting by, so 429s count as attempts.
 * - Any other retryable **fault** (502/503/504, resets, timeouts) is retried within maxAttempts, each
 *   retry paid from the account's retry budget.
 *
 * A non-idempotent call is attempted once whatever happens (see nextWait).
 */
export async function withRetry<T>(
  attempt: (index: number) => Promise<Attempt<T>>,
  context: RetryContext,
): Promise<T> {
  let paid = 0;
  let faults = 0;
  let throttles = 0;
  let last: FreshchatError | undefined;
  for (let index = 0; ; index++) {
    let outcome: Attempt<T>;
    try {
      outcome = await attempt(index);
    } catch (refused) {
      // A retry refused before it was sent (the request's call ceiling, src/resilience/call-ceiling.ts):
      // the caller learns what the retries were for, a 429 or an outage, not that they ran out.
      if (last === undefined) throw refused;
      throw isThrottle(last) ? withRetryAfter(last, 0) : last;
    }
    if (outcome.ok) {
      context.budget?.refund(paid);
      return outcome.value;
    }
    last = outcome.error;
    let wait: number;
    if (isBackpressure(outcome, context)) {
      wait = throttleWait(outcome.error, throttles++, context);
    } else {
      const next = nextWait(outcome, faults++, context);
      // The budget is asked last, so it pays only for retries that will really be sent.
      const cost = next === undefined ? undefined : payRetry(context.budget, outcome.timeout === true);
      if (next === undefined || cost === undefined) throw outcome.error;
      paid = cost;
      wait = next;
    }
    try {
      await context.sleep(wait, context.signal);
    } catch {
      throw outcome.error; // the deadline fired while waiting: report what we were waiting out
    }
  }
}

/** A 429 of an idempotent call under a known deadline: waited out, not counted as an attempt. */
function isBackpressure(outcome: { error: FreshchatError; retryable: boolean }, context: RetryContext): boolean {
  return outcome.retryable && context.idempotent && context.deadline !== undefined && isThrottle(outcome.error);
}

/** Freshchat itself answered 429 (a refusal by our own quota has no status: nothing was sent). */
export function isThrottle(error: FreshchatError): boolean {
  return error.kind === 'RATE_LIMITED' && error.status === 429;
}

/**
 * How long to wait before sending a throttled call again: at least Retry-After, and a backoff that
 * grows with each 429 of this call (so a 429 without Retry-After is not answered by a tight loop).
 * Throws RATE_LIMITED, with the seconds it would have waited, when the wait cannot fit the deadline.
 */
export function throttleWait(error: FreshchatError, throttles: number, context: RetryContext): number {
  const backoff = backoffDelay(context.policy, throttles, context.random);
  const wait = Math.max(backoff, (error.retryAfter ?? 0) * 1000);
  const { deadline } = context;
  if (deadline !== undefined && context.now() + wait >= deadline) throw withRetryAfter(error, wait);
  return wait;
}

/** The 429 as the caller sees it: retryAfter is always set, at least 1 s and never below Freshchat's. */
function withRetryAfter(error: FreshchatError, waitMs: number): FreshchatError {
  const retryAfter = Math.max(1, error.retryAfter ?? 0, Math.ceil(waitMs / 1000));
  if (retryAfter === error.retryAfter) return error;
  return new FreshchatError('RATE_LIMITED', error.message, { status: error.status, upstreamStatus: error.upstreamStatus, retryAfter });
}

/** Tokens paid for one retry: 0 without a budget, undefined when the budget refuses. */
function payRetry(budget: RetryBudget | undefined, timeout: boolean): number | undefined {
  return budget === undefined ? 0 : budget.spend(timeout);
}

/**
 * Milliseconds to wait before the next attempt after a fault, or undefined to give up now.
 * `index` counts the attempts already spent on faults, less one (0 after the first).
 */
export function nextWait(
  failure: { error: FreshchatError; retryable: boolean },
  index: number,
  context: RetryContext,
): number | undefined {
  if (!failure.retryable || !context.idempotent) return undefined;
  if (index + 1 >= context.policy.maxAttempts) return undefined;
  const backoff = backoffDelay(context.policy, index, context.random);
  const hinted = (failure.error.retryAfter ?? 0) * 1000;
  const wait = Math.max(backoff, hinted); // never sooner than Freshchat asked
  const { deadline } = context;
  if (deadline !== undefined && context.now() + wait >= deadline) return undefined;
  return wait;
}

/**
 * Waits `ms` on the global timer (so tests can run it on a fake clock), rejecting when `signal`
 * aborts. node:timers/promises would do the same, but fake timers cannot reach it.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
