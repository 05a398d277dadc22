/**
 * The adaptive part of an account's request quota: AIMD, as TCP does for congestion. Freshchat
 * publishes no limit, so FRESHCHAT_RATE_LIMIT_PER_MINUTE may be set above the account's real one;
 * then its 429s arrive although this subgraph stays inside its setting. 429s that say the account's
 * window is spent lower the effective rate (multiplicative decrease); a clean period raises it again
 * step by step (additive increase), never above the setting. With Redis the rate is shared, so
 * replicas slow down together.
 *
 * Not every 429 is congestion. A short one (a Retry-After of a few seconds, with no sign that the
 * window is spent) is waited out by the call that got it and changes nothing here: random short 429s
 * would otherwise drive the rate towards its floor, and queries would then wait past their deadline.
 * The rule is in docs/resilience.md ("When is the window spent?").
 *
 * Only the decisions are stored (rate, epoch, strikes, times); the recovery is computed from them
 * when read, so nothing needs a timer and a replica that only reads sees the same rate.
 */
import type { Redis } from 'ioredis';

export interface RateState {
  /** Effective requests per minute when `changedAt`/`throttledAt` were written. */
  rate: number;
  /** Bumped by every decrease: a 429 of a call admitted before it was already answered by it. */
  epoch: number;
  /** 429s counted in this epoch since the last decrease. */
  strikes: number;
  /** Epoch ms of the last decrease. */
  changedAt: number;
  /** Epoch ms at which the last 429's hold ends: recovery counts clean periods from here. */
  throttledAt: number;
}

export interface AimdSettings {
  /** Multiplicative decrease: the rate is multiplied by this on a decrease. */
  decrease: number;
  /** Unexplained 429s (no Retry-After) of one epoch that make a decrease (one alone may be a fluke). */
  strikes: number;
  /**
   * A 429 holding the account this long says Freshchat's window is spent (a per-minute limit answers
   * with the seconds left in its minute): enough on its own for a decrease. A shorter Retry-After is
   * waited out and is no sign of congestion.
   */
  spentSeconds: number;
  /** At most one decrease per this many ms (the 429s of one burst are one congestion event). */
  minGapMs: number;
  /**
   * A period without any 429 that earns one additive step: Freshchat's minute, the period over
   * which a per-minute limit can tell us the rate is fine.
   */
  cleanMs: number;
  /** Share of the ceiling added per clean period. */
  stepShare: number;
  /**
   * Never below this share of the ceiling unless Freshchat said the window is spent: unexplained
   * 429s alone cannot collapse the rate.
   */
  floorShare: number;
  /** Never below this many requests per minute (the setting's minimum), whatever Freshchat says. */
  floor: number;
}

export const AIMD: Readonly<AimdSettings> = Object.freeze({
  decrease: 0.8,
  strikes: 3,
  spentSeconds: 10,
  minGapMs: 10_000,
  cleanMs: 60_000,
  stepShare: 0.05,
  floorShare: 0.5,
  floor: 2,
});

/** Where the state lives: this process, or Redis for every replica of the deployment. */
export interface RateStore {
  read(): Promise<RateState | undefined>;
  /** Writes `next` only if the stored state is still `previous`; false when another writer won. */
  swap(previous: RateState | undefined, next: RateState): Promise<boolean>;
}

/** The state after a clean stretch: the recovered rate, from the last decision and the clock. */
export function rateAt(state: RateState | undefined, ceiling: number, now: number, settings: AimdSettings = AIMD): number {
  if (state === undefined) return ceiling;
  const clean = Math.max(0, now - Math.max(state.changedAt, state.throttledAt));
  const steps = Math.floor(clean / settings.cleanMs);
  const step = Math.max(1, Math.ceil(ceiling * settings.stepShare));
  return Math.min(ceiling, state.rate + steps * step);
}

/** A 429 on a call admitted in `epoch`, and what it said about the account's window. */
export interface Throttle {
  epoch: number;
  /** Retry-After in seconds; 0 when unsaid. */
  retryAfter: number;
  /** X-RateLimit-Remaining of the 429, when sent. */
  remaining?: number;
}

/**
 * What one 429 says (docs/resilience.md, "When is the window spent?"):
 * - `spent`: the window is used up: X-RateLimit-Remaining: 0, or a Retry-After of `spentSeconds` or more;
 * - `short`: a shorter Retry-After and no such sign: busy for a moment, waited out, not congestion;
 * - `unexplained`: no Retry-After at all: a strike, since a limit may say nothing more.
 */
export type ThrottleSign = 'spent' | 'short' | 'unexplained';

export function signOf({ retryAfter, remaining }: Throttle, settings: AimdSettings = AIMD): ThrottleSign {
  if (remaining === 0 || retryAfter >= settings.spentSeconds) return 'spent';
  return retryAfter > 0 ? 'short' : 'unexplained';
}

/** The lowest rate a decrease may reach: the setting's minimum only when the window is spent. */
export function floorFor(sign: ThrottleSign, ceiling: number, settings: AimdSettings = AIMD): number {
  return sign === 'spent' ? settings.floor : Math.max(settings.floor, Math.ceil(ceiling * settings.floorShare));
}

/** The state after a 429. */
export function afterThrottle(state: RateState | undefined, throttle: Throttle, ceiling: number, now: number, settings: AimdSettings = AIMD): RateState {
  const sign = signOf(throttle, settings);
  const current = state ?? { rate: ceiling, epoch: 0, strikes: 0, changedAt: 0, throttledAt: 0 };
  // A short 429 is waited out by its own call; the account's rate and its recovery go on untouched.
  if (sign === 'short') return current;
  const rate = rateAt(state, ceiling, now, settings);
  // A 429 of a call admitted before the last decrease was sent at the old rate: already answered.
  const weight = sign === 'spent' ? settings.strikes : 1;
  const strikes = throttle.epoch === current.epoch ? current.strikes + weight : current.strikes;
  const due = strikes >= settings.strikes && now - current.changedAt >= settings.minGapMs;
  // Nothing is sent during the hold, so a clean period only starts once it is over.
  const throttledAt = Math.max(current.throttledAt, now + throttle.retryAfter * 1000);
  if (!due) return { ...current, rate, strikes, throttledAt };
  // Already at or below the floor (an earlier spent window): an unexplained 429 lowers it no further.
  const floor = Math.min(rate, floorFor(sign, ceiling, settings));
  const lowered = Math.max(floor, Math.floor(rate * settings.decrease));
  return { rate: lowered, epoch: current.epoch + 1, strikes: 0, changedAt: now, throttledAt };
}

export interface AdaptiveRateOptions {
  ceiling: number;
  store: RateStore;
  now?: () => number;
  /** How long a read of the store is trusted before reading it again (a Redis GET per call would cost). */
  syncMs?: number;
  settings?: AimdSettings;
}

/** One account's effective rate; every method is best effort and never rejects. */
export class AdaptiveRate {
  #ceiling: number;
  #state: RateState | undefined;
  #readAt = Number.NEGATIVE_INFINITY;
  readonly #options: AdaptiveRateOptions;
  readonly #now: () => number;

  constructor(options: AdaptiveRateOptions) {
    this.#options = options;
    this.#ceiling = options.ceiling;
    this.#now = options.now ?? Date.now;
  }

  /** The epoch a call admitted now belongs to (as last read). */
  get epoch(): number {
    return this.#state?.epoch ?? 0;
  }

  /** X-RateLimit-Total or the setting: the rate never goes above it. */
  set ceiling(value: number) {
    this.#ceiling = value;
  }

  /** Requests per minute to allow now. */
  async rate(): Promise<number> {
    if (this.#now() - this.#readAt >= (this.#options.syncMs ?? 1_000)) await this.#read();
    return rateAt(this.#state, this.#ceiling, this.#now(), this.#options.settings);
  }

  /** Freshchat answered 429. */
  async throttled(throttle: Throttle): Promise<void> {
    if (signOf(throttle, this.#options.settings) === 'short') return; // nothing to decide, nothing to write
    // Compare-and-swap, once more if another replica wrote in between: the loser re-reads and
    // decides again (its 429 may then belong to an epoch that is over).
    for (let attempt = 0; attempt < 2; attempt++) {
      const previous = await this.#read();
      const next = afterThrottle(previous, throttle, this.#ceiling, this.#now(), this.#options.settings);
      if (await this.#options.store.swap(previous, next).catch(() => false)) {
        this.#state = next;
        return;
      }
    }
  }

  async #read(): Promise<RateState | undefined> {
    try {
      this.#state = await this.#options.store.read();
      this.#readAt = this.#now();
    } catch {
      // Keep the last known state: the store is best effort.
    }
    return this.#state;
  }
}

export function memoryRateStore(): RateStore {
  let state: RateState | undefined;
  return {
    read: async () => state,
    async swap(previous, next) {
      if (state !== previous) return false;
      state = next;
      return true;
    },
  };
}

/** Compare-and-set of the serialized state; the key expires when the account has been quiet a while. */
const SWAP = `local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/** An hour without a 429 recovers any rate anyway (cleanMs × 1/stepShare is far less). */
const STATE_TTL_MS = 3_600_000;

/**
 * The state in Redis, shared by replicas. While Redis fails, the in-process store answers (each
 * replica then adapts alone, as its quota counts alone).
 */
export function redisRateStore(client: Redis, key: string, fallback: RateStore = memoryRateStore()): RateStore {
  return {
    async read() {
      try {
        const stored = await client.get(key);
        return stored === null ? undefined : (JSON.parse(stored) as RateState);
      } catch {
        return fallback.read();
      }
    },
    async swap(previous, next) {
      // Every writer builds the state with the same key order, so equal states serialize equally.
      const expected = previous === undefined ? '' : JSON.stringify(previous);
      try {
        const written = await client.eval(SWAP, 1, key, expected, JSON.stringify(next), String(STATE_TTL_MS));
        return written === 1;
      } catch {
        return fallback.swap(await fallback.read(), next);
      }
    },
  };
}
