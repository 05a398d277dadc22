/**
 * Sends one logical Freshchat call: builds the URL and headers, runs the attempts through the retry
 * policy under the request deadline, and classifies every failure as a FreshchatError.
 */
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import type { Account } from '../account.js';
import { FreshchatError } from '../errors.js';
import { decodeResponse, errorCode } from './decode.js';
import type { Decoder, Response } from './decode.js';
import { admit, toReport } from './guard.js';
import type { AccountGuard } from './guard.js';
import { toFamily, toHeaders, toUrl } from './request.js';
import type { Query } from './request.js';
import { isRetryableFault, isRetryableStatus, isTimeoutFault, sleep, withRetry } from './retry.js';
import type { Attempt, RetryContext, RetryPolicy } from './retry.js';

export { toQueryString } from './request.js';
export type { Query, QueryValue } from './request.js';

export interface AttemptInfo {
  method: string;
  /** The path without its query string (queries may hold e-mail addresses). */
  path: string;
  /** HTTP status, when a response arrived. */
  status: number | undefined;
  durationMs: number;
  /** 1 for the first attempt. */
  attempt: number;
  /** Failure label: a FreshchatError kind, a transport fault code, or ABORTED at the deadline. */
  error?: string;
}

export interface ClientOptions {
  account: Account;
  /** The shared dispatcher (./http.ts), or a MockAgent in tests. */
  dispatcher: Dispatcher;
  retry: RetryPolicy;
  /** Aborts every call of this GraphQL request at its deadline. */
  signal?: AbortSignal;
  /**
   * Epoch ms (Date.now clock) at which `signal` fires. Known, it lets the retry policy give up at
   * once instead of starting a wait (a long Retry-After) that would cross it.
   */
  deadline?: number;
  /** Called once per HTTP attempt, for metrics/logging; never receives the token. */
  onAttempt?: (info: AttemptInfo) => void;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock for Retry-After dates and the deadline; Date.now by default. */
  now?: () => number;
  /** The account's limits, breakers and retry budget (src/resilience), consulted on every attempt. */
  guard?: AccountGuard;
}

export interface Call<T> {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Starts with `/`, relative to the account's base URL; ids already encoded. */
  path: string;
  query?: Query;
  /** A query string sent as it came (`?a=1&a=2`), instead of `query` (the passthrough). */
  rawQuery?: string;
  /** Sent as JSON. */
  body?: unknown;
  /**
   * Whether sending the call twice is harmless: only then is it ever retried. Reads are; a write is
   * only when Freshchat documents it so (Freshchat has no idempotency key). A call that is not is
   * sent at most once: limits and breakers may delay or refuse it, never repeat it.
   */
  idempotent: boolean;
  decode: Decoder<T>;
  /** Reads the whole response instead of decodeResponse (the passthrough keeps every status). */
  respond?: (response: Response, now: number) => Promise<T>;
}

export type Send = <T>(call: Call<T>) => Promise<T>;

const DEADLINE_MESSAGE = 'Freshchat did not answer before the request deadline';

/** ClientOptions with its clock resolved. */
type Settings = ClientOptions & { now: () => number };

export function createTransport(options: ClientOptions): Send {
  const settings: Settings = { ...options, now: options.now ?? Date.now };
  const base = {
    policy: options.retry,
    signal: options.signal,
    deadline: options.deadline,
    now: settings.now,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? sleep,
    budget: options.guard?.budget,
  } satisfies Omit<RetryContext, 'idempotent'>;
  return (call) =>
    withRetry((index) => attempt(settings, call, index), { ...base, idempotent: call.idempotent });
}

async function attempt<T>(options: Settings, call: Call<T>, index: number): Promise<Attempt<T>> {
  if (options.signal?.aborted) return { ok: false, error: notSent(deadlineError()), retryable: false };
  const { signal, deadline } = options;
  const permit = await admit(options.guard, { family: toFamily(call.path), idempotent: call.idempotent, signal, deadline });
  // Refused by a limit or an open circuit: nothing was sent, and waiting longer would not help.
  if (permit instanceof FreshchatError) return { ok: false, error: notSent(permit), retryable: false };
  const started = performance.now();
  const result = await exchange(options, call);
  await permit?.release(toReport(result.outcome, result.head, options.now(), options.signal));
  const { outcome, head, label } = result;
  const info: AttemptInfo = {
    method: call.method,
    path: call.path,
    status: head?.status,
    durationMs: performance.now() - started,
    attempt: index + 1,
  };
  report(options, label === undefined ? info : { ...info, error: label });
  return outcome;
}

interface Exchange<T> {
  outcome: Attempt<T>;
  /** Status and headers, when a response arrived. */
  head: { status: number; headers: Dispatcher.ResponseData['headers'] } | undefined;
  label: string | undefined;
}

/** One HTTP request and its decoded answer; never throws. */
async function exchange<T>(options: Settings, call: Call<T>): Promise<Exchange<T>> {
  let head: Exchange<T>['head'];
  try {
    const response = await request(toUrl(options.account, call), {
      method: call.method,
      headers: toHeaders(options.account, call),
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      dispatcher: options.dispatcher,
      signal: options.signal,
    });
    head = { status: response.statusCode, headers: response.headers };
    const write = call.method !== 'GET' && call.method !== 'HEAD';
    const value = await (call.respond ?? ((r: Response, now: number) => decodeResponse(r, call.decode, now, write)))(response, options.now());
    return { outcome: { ok: true, value }, head, label: undefined };
  } catch (thrown) {
    const { error, retryable, label } = toFailure(thrown, options.signal);
    return { outcome: { ok: false, error, retryable, timeout: isTimeoutFault(label) }, head, label };
  }
}

interface Failure {
  error: FreshchatError;
  retryable: boolean;
  label: string;
}

/** Classifies anything an attempt threw. A raw error cause is never attached: it may quote the request. */
function toFailure(thrown: unknown, signal: AbortSignal | undefined): Failure {
  if (signal?.aborted) return { error: deadlineError(), retryable: false, label: 'ABORTED' };
  if (thrown instanceof FreshchatError) {
    return { error: thrown, retryable: isRetryableStatus(thrown.status), label: thrown.kind };
  }
  const code = faultCode(thrown);
  const message = `Freshchat could not be reached (${code ?? 'unknown transport fault'})`;
  const error = new FreshchatError('UNAVAILABLE', message, NEVER_CONNECTED.has(code ?? '') ? { sent: false } : {});
  return { error, retryable: isRetryableFault(code), label: code ?? 'UNKNOWN' };
}

/** The fault's code: on the error, its cause, or the first of an AggregateError (happy eyeballs). */
export function faultCode(error: unknown): string | undefined {
  const candidates: unknown[] = [error];
  if (error instanceof Error) candidates.push(error.cause);
  if (error instanceof AggregateError) candidates.push(...(error.errors as unknown[]));
  const code = candidates.map(errorCode).find((found) => found !== undefined);
  return code !== undefined && /^[A-Z0-9_]{1,64}$/.test(code) ? code : undefined;
}

/** Faults raised before a connection existed: the request cannot have reached Freshchat. */
const NEVER_CONNECTED: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** The same failure, marked as never sent: a write refused this way may be sent again safely. */
function notSent(error: FreshchatError): FreshchatError {
  if (error.sent === false) return error;
  const { status, upstreamStatus, retryAfter } = error;
  return new FreshchatError(error.kind, error.message, { status, upstreamStatus, retryAfter, sent: false });
}

export function deadlineError(): FreshchatError {
  return new FreshchatError('UNAVAILABLE', DEADLINE_MESSAGE);
}

function report(options: ClientOptions, info: AttemptInfo): void {
  try {
    options.onAttempt?.(info);
  } catch {
    // Observability must not change the outcome of a call.
  }
}
