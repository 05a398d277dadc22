import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AIMD } from '../../src/resilience/aimd.js';
import { createQuota, type Quota } from '../../src/resilience/quota.js';
import { onFakeClock, useFakeClock } from './support/clock.js';
import { describeWithRedis, startRedis, uniquePrefix, type TestRedis } from './support/redis.js';

const quota = (perMinute: number, redis?: Redis, keyPrefix = uniquePrefix('quota')) =>
  createQuota({ key: 'acme:0123456789ab', perMinute, maxWaiting: 50, keyPrefix, redis });

const soon = (ms: number) => ({ deadline: Date.now() + ms });

/** The milliseconds `take` waited (on whichever clock runs), or the error it threw. */
const timeTake = async (q: Quota, ms: number) => {
  const started = Date.now();
  const value = await q.take(soon(ms)).then(() => undefined, (error: unknown) => error);
  return { value, ms: Date.now() - started };
};

/** `it` on a fake clock: the quota's waits are timers, so seconds of slices pass in no time. */
const itOnClock = (name: string, test: () => Promise<void>) => it(name, () => onFakeClock(test(), () => false));

describe('the request quota of one account', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => void vi.useRealTimers());

  itOnClock('gives a slice worth of turns at once, then makes the next caller wait for the next slice', async () => {
    const q = quota(305); // 5 per 1 s slice
    for (let i = 0; i < 5; i++) expect((await timeTake(q, 5_000)).ms).toBe(0);
    const sixth = await timeTake(q, 5_000);
    expect(sixth.value).toBeUndefined();
    expect(sixth.ms).toBeGreaterThan(0);
    expect(sixth.ms).toBeLessThanOrEqual(1_000);
  });

  itOnClock('fails at once with RATE_LIMITED and retryAfter when the wait would cross the deadline', async () => {
    const q = quota(120); // 9 per 5 s slice
    for (let i = 0; i < 9; i++) await q.take(soon(1_000));
    const { value, ms } = await timeTake(q, 1_000);
    expect(value).toMatchObject({ kind: 'RATE_LIMITED', retryAfter: 5 });
    expect(ms).toBe(0);
  });

  itOnClock('holds every caller for a Retry-After that says the window is spent, and lets them through after it', async () => {
    const q = quota(6_000);
    await q.learn({ throttled: true, retryAfter: AIMD.spentSeconds });
    const { value, ms } = await timeTake(q, 15_000);
    expect(value).toBeUndefined();
    expect(ms).toBeGreaterThanOrEqual(AIMD.spentSeconds * 1_000);
  });

  itOnClock('holds no other caller for a short Retry-After: only the call that got it waits', async () => {
    const q = quota(6_000);
    await q.learn({ throttled: true, retryAfter: 1 });
    expect(await timeTake(q, 5_000)).toEqual({ value: undefined, ms: 0 });
  });

  itOnClock('never lets more than a slice through in a slice, when a hold begins inside it', async () => {
    const q = quota(10); // 2 per 15 s slice
    const sent: number[] = [];
    await q.take(soon(60_000));
    sent.push(Date.now());
    await q.learn({ retryAfter: AIMD.spentSeconds }); // a 10 s hold inside the 15 s slice
    for (let i = 0; i < 3; i++) {
      await q.take(soon(60_000));
      sent.push(Date.now());
    }
    expect(sent.filter((at) => at < sent[0]! + 15_000).length).toBeLessThanOrEqual(2);
  });

  itOnClock('fails the callers already waiting whose deadline falls inside a new hold', async () => {
    const q = quota(120);
    for (let i = 0; i < 9; i++) await q.take(soon(1_000));
    const waiting = timeTake(q, 6_000); // waits for the next 5 s slice
    await new Promise((resolve) => setTimeout(resolve, 20));
    await q.learn({ retryAfter: 30 });
    const { value, ms } = await waiting;
    expect(value).toMatchObject({ kind: 'RATE_LIMITED', retryAfter: 30 });
    expect(ms).toBe(20); // told when the hold began, not after the 5 s wait for the next slice
  });

  itOnClock('serves the caller whose request ends soonest first, not the first in line', async () => {
    const q = quota(305); // 5 per 1 s slice
    for (let i = 0; i < 5; i++) await q.take(soon(5_000));
    const order: string[] = [];
    const later = q.take(soon(20_000)).then(() => order.push('deadline in 20 s'));
    const sooner = q.take(soon(3_000)).then(() => order.push('deadline in 3 s'));
    await Promise.all([later, sooner]);
    expect(order).toEqual(['deadline in 3 s', 'deadline in 20 s']);
  });

  itOnClock("serves callers' queries before background work that asks with a lower priority", async () => {
    const q = quota(305);
    for (let i = 0; i < 5; i++) await q.take(soon(5_000));
    const order: string[] = [];
    const background = q.take({ ...soon(3_000), priority: -1 }).then(() => order.push('poller'));
    const caller = q.take(soon(20_000)).then(() => order.push('query'));
    await Promise.all([background, caller]);
    expect(order).toEqual(['query', 'poller']);
  });

  itOnClock('lets a caller that leaves the line take no turn with it', async () => {
    const q = quota(305);
    for (let i = 0; i < 5; i++) await q.take(soon(5_000));
    const leaving = new AbortController();
    const left = q.take({ ...soon(5_000), signal: leaving.signal }).catch((error: unknown) => error);
    leaving.abort();
    expect(await left).toMatchObject({ kind: 'RATE_LIMITED' });
    // The next slice still has all of its 5 turns for those who stayed.
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => q.take(soon(5_000))));
    expect(Date.now() - started).toBeLessThanOrEqual(1_000);
  });

  itOnClock('plans no more calls in the slice than X-RateLimit-Remaining allows', async () => {
    const q = quota(120);
    await q.learn({ remaining: 2 });
    await q.take(soon(1_000));
    await q.take(soon(1_000));
    expect((await timeTake(q, 1_000)).value).toMatchObject({ kind: 'RATE_LIMITED' });
  });

  itOnClock('lowers the quota to X-RateLimit-Total, but never raises it above the setting', async () => {
    const q = quota(600);
    await q.learn({ total: 100_000 });
    expect(q.slices).toEqual({ points: 19, seconds: 2 });
    await q.learn({ total: 10 });
    expect(q.slices).toEqual({ points: 2, seconds: 15 });
  });

  itOnClock('keeps counting in process when Redis cannot be reached', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, retryStrategy: () => null, lazyConnect: true });
    dead.on('error', () => {});
    const q = quota(305, dead);
    for (let i = 0; i < 5; i++) expect((await timeTake(q, 5_000)).ms).toBe(0);
    expect((await timeTake(q, 5_000)).ms).toBeGreaterThan(0);
    dead.disconnect();
  });

  itOnClock('lowers the rate it allows after repeated 429s, and recovers it after clean minutes', async () => {
    const q = quota(600);
    for (let i = 0; i < AIMD.strikes; i++) await q.learn({ throttled: true });
    expect(await q.rate()).toBe(600 * AIMD.decrease);
    expect(q.slices).toEqual({ points: 15, seconds: 2 }); // 480/min, not 600/min's 19 per 2 s
    await new Promise((resolve) => setTimeout(resolve, 1_000 + AIMD.cleanMs));
    expect(await q.rate()).toBe(600 * AIMD.decrease + 600 * AIMD.stepShare);
  });

  itOnClock('ignores the 429s of calls admitted before the last decrease', async () => {
    const q = quota(600);
    const before = q.epoch;
    await q.learn({ throttled: true, retryAfter: 30 }, before);
    for (let i = 0; i < 5; i++) await q.learn({ throttled: true, retryAfter: 30 }, before);
    expect(await q.rate()).toBe(600 * AIMD.decrease);
  });
});

describeWithRedis('the request quota shared through Redis', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  const connect = () => {
    const client = new Redis(redis.url, { enableOfflineQueue: false });
    clients.push(client);
    return new Promise<Redis>((resolve) => client.once('ready', () => resolve(client)));
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis?.close();
  });

  it('gives two replicas one slice between them, not one each', async () => {
    const prefix = uniquePrefix('shared');
    const [a, b] = [quota(305, await connect(), prefix), quota(305, await connect(), prefix)];
    const started = performance.now();
    const done: number[] = [];
    const takes = [a, b].flatMap((q) => Array.from({ length: 5 }, () => q.take(soon(5_000)).then(() => done.push(performance.now() - started))));
    await Promise.all(takes);
    expect(done.filter((ms) => ms < 500)).toHaveLength(5); // 5 per slice for the account, across both
  });

  it('slows the other replica too when one is answered 429s (the adaptive rate is shared)', async () => {
    const prefix = uniquePrefix('aimd');
    const [a, b] = [quota(600, await connect(), prefix), quota(600, await connect(), prefix)];
    expect(await b.rate()).toBe(600);
    await a.learn({ throttled: true, retryAfter: 30 });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // b trusts its last read for 1 s
    expect(await b.rate()).toBe(600 * AIMD.decrease);
  });

  it('holds the other replica too when one learns a Retry-After', async () => {
    const prefix = uniquePrefix('hold');
    const [a, b] = [quota(6_000, await connect(), prefix), quota(6_000, await connect(), prefix)];
    await a.learn({ retryAfter: 30 });
    const { value, ms } = await timeTake(b, 5_000);
    expect(value).toMatchObject({ kind: 'RATE_LIMITED', retryAfter: 30 });
    expect(ms).toBeLessThan(1_000);
  });
});
