import { describe, expect, it } from 'vitest';
import { FreshchatError } from '../../src/errors.js';
import {
  backoffDelay,
  isRetryableFault,
  isRetryableStatus,
  nextWait,
  parseRetryAfter,
  sleep,
  withRetry,
} from '../../src/freshchat/retry.js';
import type { Attempt, RetryContext, RetryPolicy } from '../../src/freshchat/retry.js';

// The tables below are worked out for this policy, whatever the configured defaults are.
const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 };
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('backoffDelay (full jitter)', () => {
  it.each([
    // retry, ceiling = min(5000, 200 × 2^retry)
    [0, 200],
    [1, 400],
    [2, 800],
    [4, 3200],
    [5, 5000],
    [10, 5000],
  ])('after retry %i stays within [0, %i)', (retry, ceiling) => {
    expect(backoffDelay(policy, retry, () => 0)).toBe(0);
    expect(backoffDelay(policy, retry, () => 0.5)).toBe(ceiling / 2);
    expect(backoffDelay(policy, retry, () => 0.999_999)).toBeLessThan(ceiling);
    expect(backoffDelay(policy, retry, () => 0.999_999)).toBeGreaterThan(ceiling * 0.999);
  });

  it('stays within its bounds for real random numbers', () => {
    for (let i = 0; i < 1000; i++) {
      const delay = backoffDelay(policy, 3, Math.random);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(1600);
    }
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120],
    ['0', 0],
    [' 5 ', 5],
    ['1.2', 2],
    [new Date(NOW + 30_000).toUTCString(), 30],
    [new Date(NOW + 3_600_000).toUTCString(), 3600],
    [new Date(NOW - 10_000).toUTCString(), 0],
    [undefined, undefined],
    ['', undefined],
    ['soon', undefined],
    ['-3', undefined],
  ])('reads %j as %s seconds', (value, seconds) => {
    expect(parseRetryAfter(value, NOW)).toBe(seconds);
  });

  it('rounds an HTTP-date up to whole seconds', () => {
    expect(parseRetryAfter(new Date(NOW + 2000).toUTCString(), NOW - 300)).toBe(3);
  });
});

describe('what is retryable', () => {
  it.each([
    [429, true],
    [502, true],
    [503, true],
    [504, true],
    [500, false],
    [501, false],
    [400, false],
    [401, false],
    [404, false],
    [undefined, false],
  ])('status %s → %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });

  it.each([
    ['ECONNRESET', true],
    ['ECONNREFUSED', true],
    ['EPIPE', true],
    ['UND_ERR_SOCKET', true],
    ['UND_ERR_CONNECT_TIMEOUT', true],
    ['UND_ERR_HEADERS_TIMEOUT', true],
    ['UND_ERR_BODY_TIMEOUT', true],
    ['UND_ERR_CLOSED', true],
    ['ENOTFOUND', false],
    ['UND_ERR_ABORTED', false],
    ['CERT_HAS_EXPIRED', false],
    [undefined, false],
  ])('fault %s → %s', (code, retryable) => {
    expect(isRetryableFault(code)).toBe(retryable);
  });
});

describe('nextWait', () => {
  const context = (overrides: Partial<RetryContext> = {}): RetryContext => ({
    policy,
    idempotent: true,
    signal: undefined,
    deadline: undefined,
    now: () => NOW,
    random: () => 0.5,
    sleep: async () => undefined,
    ...overrides,
  });
  const unavailable = { error: new FreshchatError('UNAVAILABLE', 'x', { status: 503 }), retryable: true };
  const limited = (retryAfter: number) => ({
    error: new FreshchatError('RATE_LIMITED', 'x', { status: 429, retryAfter }),
    retryable: true,
  });

  it('never retries a non-idempotent request', () => {
    expect(nextWait(unavailable, 0, context({ idempotent: false }))).toBeUndefined();
  });

  it('never retries a failure that is not retryable', () => {
    expect(nextWait({ ...unavailable, retryable: false }, 0, context())).toBeUndefined();
  });

  it('gives up after maxAttempts attempts in total', () => {
    expect(nextWait(unavailable, 1, context())).toBe(200);
    expect(nextWait(unavailable, 2, context())).toBeUndefined();
  });

  it('waits at least Retry-After, however long', () => {
    expect(nextWait(limited(90), 0, context())).toBe(90_000);
  });

  it('keeps the jittered backoff when it is longer than Retry-After', () => {
    expect(nextWait(limited(0), 1, context())).toBe(200);
  });

  it('gives up when the wait would reach the deadline', () => {
    expect(nextWait(limited(10), 0, context({ deadline: NOW + 10_000 }))).toBeUndefined();
    expect(nextWait(limited(10), 0, context({ deadline: NOW + 10_001 }))).toBe(10_000);
  });
});

describe('withRetry: 429 is backpressure, other faults spend attempts', () => {
  const throttled = (retryAfter?: number) => ({
    ok: false as const,
    error: new FreshchatError('RATE_LIMITED', 'x', { status: 429, retryAfter }),
    retryable: true,
  });
  const outage = { ok: false as const, error: new FreshchatError('UNAVAILABLE', 'x', { status: 503 }), retryable: true };

  /** A retry loop over scripted outcomes on a clock that the sleeps advance. */
  function run(outcomes: Attempt<string>[], overrides: Partial<RetryContext> = {}) {
    let clock = NOW;
    const sleeps: number[] = [];
    const spent: boolean[] = [];
    const context: RetryContext = {
      policy,
      idempotent: true,
      signal: undefined,
      deadline: NOW + 25_000,
      now: () => clock,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      budget: { spend: (timeout) => (spent.push(timeout), 5), refund: () => undefined },
      ...overrides,
    };
    let index = 0;
    const result = withRetry(async () => outcomes[Math.min(index++, outcomes.length - 1)]!, context);
    return { result, sleeps, spent, attempts: () => index };
  }

  it('waits out more 429s than maxAttempts, paying nothing from the retry budget', async () => {
    const { result, sleeps, spent } = run([throttled(1), throttled(1), throttled(1), throttled(1), { ok: true, value: 'done' }]);
    await expect(result).resolves.toBe('done');
    expect(sleeps).toEqual([1_000, 1_000, 1_000, 1_000]);
    expect(spent).toEqual([]);
  });

  it('reports the 429 it was waiting out, with retryAfter, when a retry is refused before it is sent', async () => {
    let index = 0;
    const refusedOnRetry = async () => {
      if (index++ > 0) throw new Error('the request reached its call ceiling');
      return throttled();
    };
    const context = { policy, idempotent: true, signal: undefined, deadline: NOW + 25_000, now: () => NOW, random: () => 0.5, sleep: async () => undefined };
    await expect(withRetry(refusedOnRetry, context)).rejects.toMatchObject({ kind: 'RATE_LIMITED', status: 429, retryAfter: 1 });
  });

  it('lets a refusal of the first attempt through as it is', async () => {
    const refused = new Error('the request reached its call ceiling');
    const context = { policy, idempotent: true, signal: undefined, deadline: NOW + 25_000, now: () => NOW, random: () => 0.5, sleep: async () => undefined };
    await expect(withRetry(() => Promise.reject(refused), context)).rejects.toBe(refused);
  });

  it('backs off further with each 429 that gave no Retry-After', async () => {
    const { result, sleeps } = run([throttled(), throttled(), throttled(), { ok: true, value: 'done' }]);
    await expect(result).resolves.toBe('done');
    expect(sleeps).toEqual([100, 200, 400]); // 0.5 × 200 × 2^n
  });

  it('fails at once with RATE_LIMITED and retryAfter when the next wait cannot fit the deadline', async () => {
    const { result, sleeps } = run([throttled(1)], { deadline: NOW + 3_500 });
    await expect(result).rejects.toMatchObject({ kind: 'RATE_LIMITED', status: 429, retryAfter: 1 });
    expect(sleeps).toEqual([1_000, 1_000, 1_000]);
  });

  it('gives retryAfter even when Freshchat sent none', async () => {
    const { result } = run([throttled()], { deadline: NOW + 50 });
    await expect(result).rejects.toMatchObject({ kind: 'RATE_LIMITED', retryAfter: 1 });
  });

  it('counts 429s as attempts when no deadline bounds the waiting', async () => {
    const { result, attempts } = run([throttled(1)], { deadline: undefined });
    await expect(result).rejects.toMatchObject({ kind: 'RATE_LIMITED' });
    expect(attempts()).toBe(policy.maxAttempts);
  });

  it('keeps maxAttempts for 503s, whatever 429s came between them', async () => {
    const { result, spent, attempts } = run([outage, throttled(1), outage, throttled(1), outage, { ok: true, value: 'never' }]);
    await expect(result).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    expect(attempts()).toBe(5); // three 503s (maxAttempts) and the two 429s between them
    expect(spent).toEqual([false, false]); // only the two fault retries were paid for
  });

  it('never sends a non-idempotent call twice, even after a 429', async () => {
    const { result, attempts } = run([throttled(1), { ok: true, value: 'twice' }], { idempotent: false });
    await expect(result).rejects.toMatchObject({ kind: 'RATE_LIMITED' });
    expect(attempts()).toBe(1);
  });
});

describe('sleep', () => {
  it('rejects at once when its signal aborts', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('gone'));
    await expect(pending).rejects.toThrow('gone');
  });
});
