import { describe, expect, it } from 'vitest';
import { retryDelayMs, toOutcome } from '../../src/webhooks-out/backoff.js';

describe('retry delays', () => {
  it.each([
    // retry, base, random → delay: base × 2^(retry-1) × (0.5 + random)
    [1, 5_000, 0.5, 5_000],
    [2, 5_000, 0.5, 10_000],
    [3, 5_000, 0.5, 20_000],
    [7, 5_000, 0.5, 320_000],
    [1, 5_000, 0, 2_500], // -50%
    [1, 5_000, 0.999_999, 7_500], // just under +50%
    [4, 100, 0.25, 600],
    [60, 5_000, 0.5, 86_400_000], // capped at a day
  ])('the retry %i from a base of %i ms with random %f waits %i ms', (retry, base, random, delay) => {
    expect(retryDelayMs(retry, base, () => random)).toBe(delay);
  });
});

describe('the outcome of a send', () => {
  const policy = { retryBaseMs: 1_000, maxAttempts: 3 };
  const now = Date.parse('2025-01-01T00:00:00.000Z');

  it('is delivered on success, whatever the attempt', () => {
    expect(toOutcome({ ok: true }, 3, policy, now, () => 0.5)).toEqual({ delivered: true });
  });

  it('retries after the n-th retry delay while attempts remain', () => {
    expect(toOutcome({ ok: false, error: 'HTTP 500' }, 2, policy, now, () => 0.5)).toEqual({
      delivered: false,
      error: 'HTTP 500',
      nextAttemptAt: new Date(now + 2_000),
    });
  });

  it('gives up when the last attempt fails', () => {
    expect(toOutcome({ ok: false, error: 'HTTP 500' }, 3, policy, now, () => 0.5)).toEqual({ delivered: false, error: 'HTTP 500', nextAttemptAt: null });
  });
});
