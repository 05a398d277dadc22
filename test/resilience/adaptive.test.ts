/**
 * The adaptive quota (src/resilience/aimd.ts): a deployment whose FRESHCHAT_RATE_LIMIT_PER_MINUTE is
 * set above the account's real limit converges on that limit instead of hitting it every minute,
 * while short 429s, which say nothing of the window, never slow the account down.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AIMD, afterThrottle, rateAt, signOf, type RateState, type ThrottleSign } from '../../src/resilience/aimd.js';
import { CLOCK_START, later, onFakeClock, useFakeClock } from './support/clock.js';
import { AGENTS_QUERY, startGuardedHarness, type GuardedHarness } from './support/harness.js';

describe('the AIMD rule', () => {
  const ceiling = 600;
  const at = (s: number) => CLOCK_START + s * 1_000;
  /** A 429 at `seconds`; `retryAfter` 0 means none was sent. */
  const throttle = (state: RateState | undefined, seconds: number, retryAfter = 0, remaining?: number) =>
    afterThrottle(state, { epoch: state?.epoch ?? 0, retryAfter, remaining }, ceiling, at(seconds));
  const SPENT = AIMD.spentSeconds;

  it.each<[string, ThrottleSign, number, number | undefined]>([
    ['a short Retry-After', 'short', 1, undefined],
    ['a Retry-After just under the spent mark', 'short', SPENT - 1, undefined],
    ['a short Retry-After with requests left', 'short', 1, 5],
    ['a long Retry-After', 'spent', SPENT, undefined],
    ['X-RateLimit-Remaining: 0', 'spent', 1, 0],
    ['no Retry-After', 'unexplained', 0, undefined],
  ])('reads a 429 with %s as %s', (_name, sign, retryAfter, remaining) => {
    expect(signOf({ epoch: 0, retryAfter, remaining })).toBe(sign);
  });

  it('lets a lone unexplained 429 pass: one may be a fluke', () => {
    expect(rateAt(throttle(undefined, 0), ceiling, at(0))).toBe(ceiling);
  });

  it(`lowers the rate ×${AIMD.decrease} after ${AIMD.strikes} unexplained 429s`, () => {
    let state: RateState | undefined;
    for (let i = 0; i < AIMD.strikes; i++) state = throttle(state, 0);
    expect(rateAt(state, ceiling, at(0))).toBe(ceiling * AIMD.decrease);
  });

  it('never lowers it for short 429s, however many: they are waited out, not congestion', () => {
    let state: RateState | undefined;
    for (let s = 0; s < 2_000; s += 1) state = throttle(state, s, 1);
    expect(rateAt(state, ceiling, at(2_000))).toBe(ceiling);
  });

  it('lowers it at once for a 429 that holds the account for a long time (a spent window)', () => {
    expect(rateAt(throttle(undefined, 0, 40), ceiling, at(0))).toBe(ceiling * AIMD.decrease);
  });

  it('lowers it at once when Freshchat says no request is left, whatever the Retry-After', () => {
    expect(rateAt(throttle(undefined, 0, 1, 0), ceiling, at(0))).toBe(ceiling * AIMD.decrease);
  });

  it('counts the 429s of calls admitted before a decrease as already answered', () => {
    const lowered = throttle(undefined, 0, 40);
    let state = lowered;
    for (let i = 0; i < 5; i++) state = afterThrottle(state, { epoch: lowered.epoch - 1, retryAfter: 40 }, ceiling, at(20 + i));
    expect(state.rate).toBe(lowered.rate);
  });

  it(`decreases at most once per ${AIMD.minGapMs / 1000} s, however many 429s arrive`, () => {
    let state = throttle(undefined, 0, 40);
    state = throttle(state, 1, 40);
    expect(state.rate).toBe(ceiling * AIMD.decrease);
    state = throttle(state, AIMD.minGapMs / 1000, 40);
    expect(state.rate).toBe(Math.floor(ceiling * AIMD.decrease * AIMD.decrease));
  });

  it(`recovers ${AIMD.stepShare * 100}% of the setting per ${AIMD.cleanMs / 1000} s without a 429 after the hold, up to the setting`, () => {
    const state = throttle(undefined, 0, 40); // 480, held until 40 s
    const step = ceiling * AIMD.stepShare;
    expect(rateAt(state, ceiling, at(40 + AIMD.cleanMs / 1000 - 1))).toBe(480);
    expect(rateAt(state, ceiling, at(40 + AIMD.cleanMs / 1000))).toBe(480 + step);
    expect(rateAt(state, ceiling, at(3_600))).toBe(ceiling);
  });

  it(`never takes unexplained 429s below ${AIMD.floorShare * 100}% of the setting`, () => {
    let state: RateState | undefined;
    for (let s = 0; s < 2_000; s += 1) state = throttle(state, s);
    expect(rateAt(state, ceiling, at(2_000))).toBe(ceiling * AIMD.floorShare);
  });

  it(`goes down to ${AIMD.floor} per minute only when Freshchat keeps saying the window is spent`, () => {
    let state: RateState | undefined;
    for (let s = 0; s < 2_000; s += 10) state = throttle(state, s, SPENT);
    expect(rateAt(state, ceiling, at(2_000))).toBe(AIMD.floor);
    // Unexplained 429s then lower it no further, nor lift it to their own floor.
    for (let s = 2_010; s < 2_010 + AIMD.strikes; s++) state = throttle(state, s);
    expect(state?.rate).toBe(AIMD.floor);
  });
});

const SETTING = 120;
const REAL_LIMIT = 60;
const MINUTES = 6;

describe(`convergence: the setting says ${SETTING}/min, the account allows ${REAL_LIMIT}/min`, () => {
  let h: GuardedHarness;
  const failures: number[] = []; // fake ms of each failed query
  const perMinute = (times: number[]) => Array.from({ length: MINUTES }, (_, m) => times.filter((t) => t >= m * 60_000 && t < (m + 1) * 60_000).length);

  beforeAll(async () => {
    useFakeClock();
    h = await startGuardedHarness({ sandbox: { rateLimit: { perMinute: REAL_LIMIT } }, env: { FRESHCHAT_RATE_LIMIT_PER_MINUTE: String(SETTING) } });
    // Two clients, each asking once a second: twice the real limit.
    const worker = async () => {
      while (Date.now() < CLOCK_START + MINUTES * 60_000) {
        const res = await h.query(AGENTS_QUERY);
        if (res.errors) failures.push(Date.now() - CLOCK_START);
        await later(1_000);
      }
    };
    await onFakeClock(Promise.all(Array.from({ length: 2 }, worker)), h.busy, (MINUTES + 1) * 60_000);
  }, 120_000);
  afterAll(async () => {
    await h.close();
    vi.useRealTimers();
  });

  const sent = () => perMinute(h.sandbox.calls.map((call) => call.at - CLOCK_START));
  const overQuota = () => perMinute(h.sandbox.calls.filter((call) => call.overQuota).map((call) => call.at - CLOCK_START));

  it('reports the convergence figures', () => {
    console.info(
      `AIMD, setting ${SETTING}/min, real limit ${REAL_LIMIT}/min, 2 clients × 1 query/s, per minute:\n` +
        `  calls sent        ${sent().join(' ')}\n` +
        `  429 (real limit)  ${overQuota().join(' ')}\n` +
        `  failed queries    ${perMinute(failures).join(' ')}`,
    );
    expect(sent().reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('hits the real limit in the first minutes, then stops hitting it', () => {
    const limited = overQuota();
    expect(limited.slice(0, 2).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(limited.slice(-3).reduce((a, b) => a + b, 0)).toBeLessThan(limited.slice(0, 3).reduce((a, b) => a + b, 0));
  });

  it('fails fewer queries once converged than while it learned', () => {
    const failed = perMinute(failures);
    expect(failed.slice(-3).reduce((a, b) => a + b, 0)).toBeLessThan(failed.slice(0, 3).reduce((a, b) => a + b, 0));
  });
});
