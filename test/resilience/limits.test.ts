import { describe, expect, it } from 'vitest';
import { createSemaphore, SemaphoreError } from '../../src/resilience/semaphore.js';
import { maxInSpan, toSlices } from '../../src/resilience/slices.js';
import { readQuotaHints } from '../../src/freshchat/guard.js';

describe('toSlices', () => {
  // The table of docs/resilience.md, and the quotas the tests use.
  it.each([
    [60, { points: 5, seconds: 6 }],
    [100, { points: 3, seconds: 2 }],
    [120, { points: 9, seconds: 5 }],
    [200, { points: 3, seconds: 1 }],
    [300, { points: 14, seconds: 3 }],
    [600, { points: 19, seconds: 2 }],
    [1_000, { points: 16, seconds: 1 }],
    [183, { points: 3, seconds: 1 }],
    [305, { points: 5, seconds: 1 }],
    [244, { points: 4, seconds: 1 }],
    [1_220, { points: 20, seconds: 1 }],
    [2, { points: 1, seconds: 60 }],
  ])('spends %i per minute as %o', (perMinute, slices) => {
    expect(toSlices(perMinute)).toEqual(slices);
  });

  it.each([2, 3, 7, 50, 100, 119, 120, 500, 999, 1_220, 6_000, 100_000])(
    'never lets %i/min slices put more than the quota in any 60 s span',
    (perMinute) => {
      const slices = toSlices(perMinute);
      expect(60 % slices.seconds).toBe(0);
      expect(maxInSpan(slices, 60_000)).toBeLessThanOrEqual(perMinute);
    },
  );

  it.each([60, 100, 600, 6_000])('lets at least 75%% of a %i/min quota through', (perMinute) => {
    const slices = toSlices(perMinute);
    expect((slices.points * 60) / slices.seconds).toBeGreaterThanOrEqual(0.75 * perMinute);
  });
});

describe('createSemaphore', () => {
  it('grants slots first come, first served, and queues the rest in order', async () => {
    const slots = createSemaphore(1, 5);
    const first = await slots.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => slots.acquire().then((release) => (order.push(n), release)));
    first();
    for (const pending of waiting) (await pending)();
    expect(order).toEqual([1, 2, 3]);
    expect(slots.inUse).toBe(0);
  });

  it('refuses a caller when the queue is full', async () => {
    const slots = createSemaphore(1, 1);
    await slots.acquire();
    void slots.acquire();
    await expect(slots.acquire()).rejects.toEqual(new SemaphoreError('full'));
  });

  it('drops a waiter whose signal aborts, and hands its turn to the next one', async () => {
    const slots = createSemaphore(1, 5);
    const held = await slots.acquire();
    const controller = new AbortController();
    const gaveUp = slots.acquire(controller.signal);
    const next = slots.acquire();
    controller.abort();
    await expect(gaveUp).rejects.toMatchObject({ reason: 'aborted' });
    expect(slots.waiting).toBe(1);
    held();
    await expect(next).resolves.toBeTypeOf('function');
  });

  it('gives a slot back once even when released twice', async () => {
    const slots = createSemaphore(2, 0);
    const release = await slots.acquire();
    release();
    release();
    expect(slots.inUse).toBe(0);
  });
});

describe('readQuotaHints', () => {
  const now = Date.UTC(2025, 0, 15, 12, 0, 0);
  it.each([
    [429, { 'retry-after': '30', 'x-ratelimit-total': '400', 'x-ratelimit-remaining': '0' }, { throttled: true, retryAfter: 30, total: 400, remaining: 0 }],
    [200, { 'x-ratelimit-total': '400', 'x-ratelimit-remaining': '12' }, { total: 400, remaining: 12 }],
    [503, { 'retry-after': '30' }, {}],
    [429, { 'retry-after': 'soon', 'x-ratelimit-total': '-1', 'x-ratelimit-remaining': 'many' }, { throttled: true }],
    [429, { 'retry-after': new Date(now + 5_000).toUTCString() }, { throttled: true, retryAfter: 5 }],
    [429, { 'retry-after': '0' }, { throttled: true }],
  ])('reads a %i with %o as %o', (status, headers, hints) => {
    expect(readQuotaHints(status, headers, now)).toEqual(hints);
  });
});
