import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQuota, type Quota } from '../../src/resilience/quota.js';
import { describeWithRedis, startRedis, uniquePrefix, type TestRedis } from './support/redis.js';
import { elapsed } from './support/windows.js';

const quota = (perMinute: number, redis?: Redis, keyPrefix = uniquePrefix('quota')) =>
  createQuota({ key: 'acme:0123456789ab', perMinute, maxWaiting: 50, keyPrefix, redis });

const soon = (ms: number) => ({ deadline: Date.now() + ms });

/** The milliseconds `take` waited, or the error it threw. */
const timeTake = (q: Quota, ms: number) => elapsed(() => q.take(soon(ms)).then(() => undefined, (error: unknown) => error));

describe.concurrent('the request quota of one account', () => {
  it('gives a slice worth of turns at once, then makes the next caller wait for the next slice', async () => {
    const q = quota(305); // 5 per 1 s slice
    for (let i = 0; i < 5; i++) expect((await timeTake(q, 5_000)).ms).toBeLessThan(250);
    const sixth = await timeTake(q, 5_000);
    expect(sixth.value).toBeUndefined();
    expect(sixth.ms).toBeGreaterThan(300);
    expect(sixth.ms).toBeLessThan(2_000);
  });

  it('fails at once with RATE_LIMITED and retryAfter when the wait would cross the deadline', async () => {
    const q = quota(120); // 9 per 5 s slice
    for (let i = 0; i < 9; i++) await q.take(soon(1_000));
    const { value, ms } = await timeTake(q, 1_000);
    expect(value).toMatchObject({ kind: 'RATE_LIMITED', retryAfter: 5 });
    expect(ms).toBeLessThan(500);
  });

  it('holds every caller for a Retry-After, and lets them through after it', async () => {
    const q = quota(6_000);
    await q.learn({ retryAfter: 1 });
    const { value, ms } = await timeTake(q, 5_000);
    expect(value).toBeUndefined();
    expect(ms).toBeGreaterThan(800);
  });

  it('fails the callers already waiting whose deadline falls inside a new hold', async () => {
    const q = quota(120);
    for (let i = 0; i < 9; i++) await q.take(soon(1_000));
    const waiting = timeTake(q, 6_000); // waits for the next 5 s slice
    await new Promise((resolve) => setTimeout(resolve, 20));
    await q.learn({ retryAfter: 30 });
    const { value, ms } = await waiting;
    expect(value).toMatchObject({ kind: 'RATE_LIMITED', retryAfter: 30 });
    expect(ms).toBeLessThan(2_000); // not the 5 s wait for the next slice
  });

  it('plans no more calls in the slice than X-RateLimit-Remaining allows', async () => {
    const q = quota(120);
    await q.learn({ remaining: 2 });
    await q.take(soon(1_000));
    await q.take(soon(1_000));
    expect((await timeTake(q, 1_000)).value).toMatchObject({ kind: 'RATE_LIMITED' });
  });

  it('lowers the quota to X-RateLimit-Total, but never raises it above the setting', async () => {
    const q = quota(600);
    await q.learn({ total: 100_000 });
    expect(q.slices).toEqual({ points: 19, seconds: 2 });
    await q.learn({ total: 10 });
    expect(q.slices).toEqual({ points: 2, seconds: 15 });
  });

  it('keeps counting in process when Redis cannot be reached', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, retryStrategy: () => null, lazyConnect: true });
    dead.on('error', () => {});
    const q = quota(305, dead);
    for (let i = 0; i < 5; i++) expect((await timeTake(q, 5_000)).ms).toBeLessThan(250);
    expect((await timeTake(q, 5_000)).ms).toBeGreaterThan(300);
    dead.disconnect();
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

  it('holds the other replica too when one learns a Retry-After', async () => {
    const prefix = uniquePrefix('hold');
    const [a, b] = [quota(6_000, await connect(), prefix), quota(6_000, await connect(), prefix)];
    await a.learn({ retryAfter: 30 });
    const { value, ms } = await timeTake(b, 5_000);
    expect(value).toMatchObject({ kind: 'RATE_LIMITED', retryAfter: 30 });
    expect(ms).toBeLessThan(1_000);
  });
});
