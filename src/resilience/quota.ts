/**
 * The request quota of one Freshchat account, in front of every HTTP attempt (retries included).
 *
 * rate-limiter-flexible does the counting (RateLimiterRedis, atomic across replicas, with a
 * RateLimiterMemory as its insuranceLimiter when Redis fails; RateLimiterMemory alone without Redis).
 * The glue here adds what it lacks: a line of waiting callers served most urgent first (turns.ts);
 * an estimate of the wait, so that a call which cannot get a turn before its deadline fails at once
 * with RATE_LIMITED and retryAfter instead of waiting in vain; and learning from Freshchat's answers
 * (Retry-After, X-RateLimit-*, and the 429s themselves, which may lower the adaptive rate of aimd.ts
 * that the slices are cut from).
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { FreshchatError } from '../errors.js';
import type { QuotaHints } from '../freshchat/guard.js';
import { AdaptiveRate, memoryRateStore, redisRateStore, signOf } from './aimd.js';
import { quotaSpent } from './errors.js';
import { toSlices, type Slices } from './slices.js';
import { TurnLine, type Taken } from './turns.js';

export interface QuotaOptions {
  /** The account's key in the store (Account.key). */
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
  /** Higher is served first; callers' queries use the default 0, background work less (turns.ts). */
  priority?: number;
}

/** The priority of background work (the sync poller): served after every caller, within its share. */
export const BACKGROUND_PRIORITY = -1;

/** The most of an account's rate that background work may spend (docs/sync.md). */
export const BACKGROUND_SHARE = 0.5;

export function createQuota(options: QuotaOptions): Quota {
  return new Quota(options);
}

export class Quota {
  #slices: Slices;
  readonly #limiters: [RateLimiterAbstract, ...RateLimiterAbstract[]];
  readonly #line: TurnLine;
  /** Background work's own count, BACKGROUND_SHARE of the rate (see #takeShare). */
  readonly #share: RateLimiterMemory;
  readonly #shareLine: TurnLine;
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
    const key = options.key;
    this.#line = new TurnLine({
      take: () => takeTurn(this.#limiters[0], key),
      giveBack: async () => void (await this.#limiters[0].reward(key, 1)),
    });
    const share = toSlices(Math.max(1, Math.floor(options.perMinute * BACKGROUND_SHARE)));
    this.#share = new RateLimiterMemory({ keyPrefix: `${options.keyPrefix}:background`, points: share.points, duration: share.seconds });
    this.#shareLine = new TurnLine({
      take: () => takeTurn(this.#share, key),
      giveBack: async () => void (await this.#share.reward(key, 1)),
    });
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
  async take({ signal, deadline, priority = 0 }: Wait): Promise<void> {
    await this.#adapt();
    if (priority < 0) await this.#takeShare(signal);
    const urgency = { priority, deadline };
    const wait = await this.#estimateWait(this.#line.ahead(urgency));
    if (wait > 0 && deadline !== undefined && this.#now() + wait >= deadline) throw quotaSpent(wait);
    if (this.#line.size >= this.#options.maxWaiting) throw quotaSpent(this.#slices.seconds * 1000);
    const place = this.#line.join(urgency);
    const onAbort = () => place.leave(quotaSpent(this.#slices.seconds * 1000));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await place.turn;
    } catch (error) {
      throw error instanceof FreshchatError ? error : quotaSpent(this.#slices.seconds * 1000);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Adapts to what Freshchat said in one answer to a call admitted in `epoch`; never rejects. Only a
   * 429 that says the window is spent holds the whole account: a short one is waited out by its own
   * call (src/freshchat/retry.ts) and leaves the others alone (docs/resilience.md).
   */
  async learn(hints: QuotaHints, epoch = this.epoch): Promise<void> {
    try {
      if (hints.total !== undefined) this.#lowerCeiling(hints.total);
      const throttle = { epoch, retryAfter: hints.retryAfter ?? 0, remaining: hints.remaining };
      if (hints.throttled) await this.#adaptive.throttled(throttle);
      if (hints.total !== undefined || hints.throttled) await this.#adapt();
      if (hints.retryAfter !== undefined && signOf(throttle) === 'spent') await this.#hold(hints.retryAfter);
      else if (hints.remaining !== undefined) await this.#capSlice(hints.remaining);
    } catch {
      // Learning is best effort: a store fault must not fail the call that taught us.
    }
  }

  /**
   * Background work first takes a turn of its own share (BACKGROUND_SHARE of the rate allowed now,
   * counted in this process: one replica polls an account), then waits in the account's line behind
   * every caller (its priority is lower), so it spends at most its share, and only turns no caller
   * is waiting for.
   */
  async #takeShare(signal: AbortSignal | undefined): Promise<void> {
    const share = toSlices(Math.max(1, Math.floor((await this.rate()) * BACKGROUND_SHARE)));
    this.#share.points = share.points;
    this.#share.duration = share.seconds;
    const place = this.#shareLine.join({ priority: 0, deadline: undefined });
    const onAbort = () => place.leave(quotaSpent(this.#slices.seconds * 1000));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await place.turn;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #state(): Promise<RateLimiterRes | null> {
    return this.#limiters[0].get(this.#options.key).catch(() => null);
  }

  /** How long a caller with `ahead` callers before it would wait: until the next slice, plus one slice per full slice ahead. */
  async #estimateWait(ahead: number): Promise<number> {
    const state = await this.#state();
    const { points, seconds } = this.#slices;
    const remaining = state === null ? points : state.remainingPoints;
    if (ahead < remaining) return 0;
    const untilNext = state === null ? 0 : Math.max(0, state.msBeforeNext);
    return untilNext + Math.floor((ahead - remaining) / points) * seconds * 1000;
  }

  /**
   * Retry-After of a 429 that says the window is spent: hold every call of the account (every
   * replica, with Redis) until then.
   */
  async #hold(seconds: number): Promise<void> {
    const state = await this.#state();
    if (state !== null && state.msBeforeNext >= seconds * 1000) {
      // The slice outlasts the hold: spend what is left of it. Blocking would start a new slice now
      // and forget the calls this one already let through, so that more than a slice's worth could
      // be sent within one slice's time.
      if (state.remainingPoints > 0) await this.#limiters[0].penalty(this.#options.key, state.remainingPoints);
    } else {
      await this.#limiters[0].block(this.#options.key, seconds);
    }
    // Callers already waiting whose deadline falls inside the hold: tell them now, not at their deadline.
    const until = this.#now() + seconds * 1000;
    this.#line.dismiss(({ deadline }) => deadline !== undefined && deadline <= until, quotaSpent(seconds * 1000));
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

/** One turn from the limiter, or how long until the next; store failures reject. */
async function takeTurn(limiter: RateLimiterAbstract, key: string): Promise<Taken> {
  try {
    await limiter.consume(key, 1);
    return { ok: true };
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return { ok: false, msBeforeNext: refusal.msBeforeNext };
    throw refusal;
  }
}
