import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKGROUND_PRIORITY, createQuota } from '../../src/resilience/quota.js';
import { later, onFakeClock, useFakeClock } from './support/clock.js';
import { uniquePrefix } from './support/redis.js';

const quota = (perMinute: number) => createQuota({ key: 'acme:0123456789ab', perMinute, maxWaiting: 500, keyPrefix: uniquePrefix('priority') });

const itOnClock = (name: string, test: () => Promise<void>) => it(name, () => onFakeClock(test(), () => false));

describe('background calls in an account quota (the sync poller)', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => void vi.useRealTimers());

  itOnClock('spend at most half of the rate, however many are queued', async () => {
    const q = quota(120);
    const started = Date.now();
    const admitted: number[] = [];
    const controller = new AbortController();
    const takes = Array.from({ length: 200 }, () =>
      q.take({ priority: BACKGROUND_PRIORITY, signal: controller.signal }).then(() => admitted.push(Date.now() - started), () => undefined),
    );
    await later(60_000);
    const inFirstMinute = admitted.filter((ms) => ms < 60_000).length;
    expect(inFirstMinute).toBeGreaterThan(30);
    expect(inFirstMinute).toBeLessThanOrEqual(60);
    controller.abort();
    await Promise.all(takes);
  });

  itOnClock('let a caller that arrives later go first while turns are short', async () => {
    const q = quota(120); // 9 per 5 s slice
    for (let i = 0; i < 9; i++) await q.take({});
    const order: string[] = [];
    const background = q.take({ priority: BACKGROUND_PRIORITY }).then(() => order.push('background'));
    await later(100);
    const caller = q.take({ deadline: Date.now() + 30_000 }).then(() => order.push('caller'));
    await Promise.all([background, caller]);
    expect(order).toEqual(['caller', 'background']);
  });

  itOnClock('stop waiting when their signal aborts', async () => {
    const q = quota(120);
    for (let i = 0; i < 9; i++) await q.take({});
    const controller = new AbortController();
    const waiting = q.take({ priority: BACKGROUND_PRIORITY, signal: controller.signal }).then(() => 'admitted', (error: unknown) => error);
    await later(1_000);
    controller.abort();
    expect(await waiting).toMatchObject({ kind: 'RATE_LIMITED' });
  });
});
