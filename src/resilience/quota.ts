/**
 * The request quota of one Freshchat account, in front of every HTTP attempt (retries included).
 *
 * rate-limiter-flexible does the counting (RateLimiterRedis, atomic across replicas, with a
 * RateLimiterMemory as its insuranceLimiter when Redis fails; RateLimiterMemory alone without Redis)
 * and the FIFO waiting (RateLimiterQueue). The glue here adds what they lack: an estimate of the wait
 * so that a call which cannot get a turn before its deadline fails at once with RATE_LIMITED and
 * retryAfter, instead of waiting in vain (the queue knows no deadline finer than a whole second and
 * cannot be cancelled); and learning from Freshchat's answers (Retry-After, X-RateLimit-*, and the
 * 429s themselves, which lower the adaptive rate of aimd.ts that the slices are cut from).
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterQueue, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { FreshchatError } from '../errors.js';
import type { QuotaHints } from '../freshchat/guard.js';
import { AdaptiveRate, memoryRateStore, redisRateStore } from './aimd.js';
import { quotaSpent } from './errors.js';
import { toSlices, type Slices } from './slices.js';

export interface QuotaOptions {
  /** The account's key in the store (see accountKey). */
  key: string;
  /** Configured requests per minute: a ceiling that X-RateLimit-Total may only lower. */
  perMinute: number;
  /** Callers that may wait at once (the concurrency limit sits in front of the quota). */
  maxWaiting: number;
  keyPrefix: string;
  /** Shared store; without it the quota is counted in this process only. */
  redis?: Redis;
  now?: () => number;
}

export interface Wait {
  signal?: AbortSignal;
  /** Epoch ms; without it the caller waits as long as it takes (or until `signal`). */
  deadline?: number;
  /** `background` (the sync poller) yields to callers and spends at most BACKGROUND_SHARE of the rate. */
  priority?: Priority;
}

export type Priority = 'caller' | 'background';

/** The most of an account's rate that background work may spend (docs/sync.md). */
export const BACKGROUND_SHARE = 0.5;

interface Waiter {
  deadline: number | undefined;
  fail(error: FreshchatError): void;
}

export function createQuota(options: QuotaOptions): Quota {
  return new Quota(options);
}

export class Quota {
  #slices: Slices;
  readonly #limiters: [RateLimiterAbstract, ...RateLimiterAbstract[]];
  readonly #queue: RateLimiterQueue;
  /** Background work's own share of the rate (see #yieldToCallers). */
  readonly #share: RateLimiterMemory;
  readonly #shareQueue: RateLimiterQueue;
  readonly #waiters = new Set<Waiter>();
  readonly #options: QuotaOptions;
  readonly #now: () => number;
  readonly #adaptive: AdaptiveRate;
  /** The setting, lowered by X-RateLimit-Total: the adaptive rate stays at or under it. */
  #ceiling: number;

  constructor(options: QuotaOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#ceiling = options.perMinute;
    const store = options.redis === undefined ? memoryRateStore() : redisRateStore(options.redis, `${options.keyPrefix}:aimd:${options.key}`);
    this.#adaptive = new AdaptiveRate({ ceiling: options.perMinute, store, now: this.#now });
    this.#slices = toSlices(options.perMinute);
    this.#limiters = createLimiters(options, this.#slices);
    this.#queue = new RateLimiterQueue(this.#limiters[0], { maxQueueSize: options.maxWaiting });
    const share = toSlices(Math.max(1, Math.floor(options.perMinute * BACKGROUND_SHARE)));
    this.#share = new RateLimiterMemory({ keyPrefix: `${options.keyPrefix}:background`, points: share.points, duration: share.seconds });
    this.#shareQueue = new RateLimiterQueue(this.#share, { maxQueueSize: options.maxWaiting });
  }

  get slices(): Slices {
    return this.#slices;
  }

  /** The adaptive rate's epoch when a call is admitted: its 429, if any, is judged against it. */
  get epoch(): number {
    return this.#adaptive.epoch;
  }

  /** Requests per minute allowed now: the setting, or less after 429s (see aimd.ts). */
  async rate(): Promise<number> {
    return Math.min(this.#ceiling, await this.#adaptive.rate());
  }

  /** Waits for a turn; rejects with RATE_LIMITED when none comes before the deadline. */
  async take({ signal, deadline, priority }: Wait): Promise<void> {
    await this.#adapt();
    if (priority === 'background') await this.#yieldToCallers(signal);
    const wait = await this.#estimateWait();
    if (wait > 0 && deadline !== undefined && this.#now() + wait >= deadline) throw quotaSpent(wait);
    const { waiter, cancelled, dispose } = watch(deadline, signal, this.#slices.seconds * 1000);
    this.#waiters.add(waiter);
    try {
      // Rounded up: an abandoned entry may then take a token after its deadline, but a caller is
      // never turned away before its deadline by the queue's whole-second expiry.
      const expiresAt = deadline === undefined ? 0 : Math.ceil(deadline / 1000);
      await Promise.race([this.#queue.removeTokens(1, this.#options.key, expiresAt), cancelled]);
    } catch (error) {
      throw error instanceof FreshchatError ? error : quotaSpent(this.#slices.seconds * 1000);
    } finally {
      this.#waiters.delete(waiter);
      dispose();
    }
  }

  /**
   * Adapts to what Freshchat said in one answer to a call admitted in `epoch`; never rejects.
   */
  async learn(hints: QuotaHints, epoch = this.epoch): Promise<void> {
    try {
      if (hints.total !== undefined) this.#lowerCeiling(hints.total);
      if (hints.throttled) await this.#adaptive.throttled({ epoch, retryAfter: hints.retryAfter ?? 0 });
      if (hints.total !== undefined || hints.throttled) await this.#adapt();
      if (hints.retryAfter !== undefined) await this.#hold(hints.retryAfter);
      else if (hints.remaining !== undefined) await this.#capSlice(hints.remaining);
    } catch {
      // Learning is best effort: a store fault must not fail the call that taught us.
    }
  }

  /**
   * A background call first takes a turn of its own share (BACKGROUND_SHARE of the rate allowed now,
   * counted in this process: one replica polls an account), then waits until no caller is queued and
   * the current slice has a turn left, so it only ever spends turns that callers leave unused.
   */
  async #yieldToCallers(signal: AbortSignal | undefined): Promise<void> {
    const share = toSlices(Math.max(1, Math.floor((await this.rate()) * BACKGROUND_SHARE)));
    if (share.points !== this.#share.points || share.seconds !== this.#share.duration) {
      this.#share.points = share.points;
      this.#share.duration = share.seconds;
    }
    await unlessAborted(this.#shareQueue.removeTokens(1, this.#options.key), signal);
    for (;;) {
      const state = await this.#state();
      const free = state === null ? this.#slices.points : state.remainingPoints;
      if (this.#waiters.size === 0 && free > 0) return;
      const untilNext = state === null || state.msBeforeNext <= 0 ? this.#slices.seconds * 1000 : state.msBeforeNext;
      await sleep(untilNext, signal);
    }
  }

  #state(): Promise<RateLimiterRes | null> {
    return this.#limiters[0].get(this.#options.key).catch(() => null);
  }

  /** How long a new caller would wait: until the next slice, plus one slice per full slice queued ahead. */
  async #estimateWait(): Promise<number> {
    const state = await this.#state();
    const { points, seconds } = this.#slices;
    const remaining = state === null ? points : state.remainingPoints;
    if (this.#waiters.size < remaining) return 0;
    const untilNext = state === null ? 0 : Math.max(0, state.msBeforeNext);
    return untilNext + Math.floor((this.#waiters.size - remaining) / points) * seconds * 1000;
  }

  /** Retry-After of a 429: hold every call of the account (every replica, with Redis) until then. */
  async #hold(seconds: number): Promise<void> {
    const state = await this.#state();
    if (state === null || state.remainingPoints > 0 || state.msBeforeNext < seconds * 1000) {
      await this.#limiters[0].block(this.#options.key, seconds);
    }
    // Callers already waiting whose deadline falls inside the hold: tell them now, not at their deadline.
    const until = this.#now() + seconds * 1000;
    for (const waiter of this.#waiters) {
      if (waiter.deadline !== undefined && waiter.deadline <= until) waiter.fail(quotaSpent(seconds * 1000));
    }
  }

  /** X-RateLimit-Remaining: never plan more calls in this slice than Freshchat has left. */
  async #capSlice(remaining: number): Promise<void> {
    if (remaining >= this.#slices.points) return;
    const state = await this.#state();
    const ours = state === null ? this.#slices.points : state.remainingPoints;
    if (remaining < ours) await this.#limiters[0].penalty(this.#options.key, ours - remaining);
  }

  /** X-RateLimit-Total: the account's real quota, when lower than the configured one. */
  #lowerCeiling(total: number): void {
    this.#ceiling = Math.min(this.#options.perMinute, total);
    this.#adaptive.ceiling = this.#ceiling;
  }

  /** Slices the rate allowed now, when it changed (a 429, a clean period, X-RateLimit-Total). */
  async #adapt(): Promise<void> {
    const next = toSlices(await this.rate());
    if (next.points === this.#slices.points && next.seconds === this.#slices.seconds) return;
    this.#slices = next;
    for (const limiter of this.#limiters) {
      limiter.points = next.points;
      limiter.duration = next.seconds;
    }
  }
}

/** The counting limiter first (Redis when configured), then its in-memory insurance. */
function createLimiters(options: QuotaOptions, slices: Slices): [RateLimiterAbstract, ...RateLimiterAbstract[]] {
  const base = { keyPrefix: `${options.keyPrefix}:quota`, points: slices.points, duration: slices.seconds };
  const memory = new RateLimiterMemory(base);
  if (options.redis === undefined) return [memory];
  // rejectIfRedisNotReady: while disconnected, go straight to the insurance limiter, no waiting.
  const shared = new RateLimiterRedis({ ...base, storeClient: options.redis, rejectIfRedisNotReady: true, insuranceLimiter: memory });
  return [shared, memory];
}

/** `work`, or RATE_LIMITED as soon as `signal` aborts (a poller stopping). */
async function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  let stop = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = () => reject(quotaSpent(0))));
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await unlessAborted(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), signal);
  } finally {
    clearTimeout(timer);
  }
}

/** A promise that rejects when the caller stops waiting: its deadline signal, or `fail` (a new hold). */
function watch(deadline: number | undefined, signal: AbortSignal | undefined, retryMs: number) {
  let fail: (error: FreshchatError) => void = () => {};
  const cancelled = new Promise<never>((_, reject) => (fail = reject));
  cancelled.catch(() => undefined); // may reject after the race is over
  const onAbort = () => fail(quotaSpent(retryMs));
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    waiter: { deadline, fail: (error: FreshchatError) => fail(error) },
    cancelled,
    dispose: () => signal?.removeEventListener('abort', onAbort),
  };
}
