import { describe, expect, it } from 'vitest';
import { FreshchatError } from '../../src/errors.js';
import {
  backoffDelay,
  isRetryableFault,
  isRetryableStatus,
  nextWait,
  parseRetryAfter,
} from '../../src/freshchat/retry.js';
import type { RetryContext, RetryPolicy } from '../../src/freshchat/retry.js';

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
