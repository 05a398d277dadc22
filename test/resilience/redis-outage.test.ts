import { afterAll, beforeAll, expect, it } from 'vitest';
import { maxInSpan, toSlices } from '../../src/resilience/slices.js';
import { AGENTS_QUERY, GROUPS_QUERY, startGuardedHarness, type GuardedHarness } from './support/harness.js';
import { describeWithRedis, startRedis, uniquePrefix, type TestRedis } from './support/redis.js';
import { elapsed, eventually, maxInWindow } from './support/windows.js';

const PER_MINUTE = 305; // 5 per 1 s slice

describeWithRedis('Redis killed mid-run', () => {
  let redis: TestRedis;
  let h: GuardedHarness;

  beforeAll(async () => {
    redis = await startRedis();
    h = await startGuardedHarness({
      env: {
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: uniquePrefix('outage'),
        FRESHCHAT_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
        CATALOG_CACHE_TTL_MS: '30000',
      },
    });
    expect(await eventually(() => h.resilience.redisStatus() === 'ok')).toBe(true);
  }, 30_000);
  afterAll(async () => {
    await h?.close();
    await redis?.close();
  });

  it('reports Redis as ok in /ready while it is up', async () => {
    expect(await h.ready()).toEqual({ status: 200, body: { status: 'ready', redis: 'ok' } });
    expect((await h.query(AGENTS_QUERY)).errors).toBeUndefined();
  });

  it('keeps answering a batch of queries when Redis dies in the middle of it', async () => {
    const batch = Promise.all(Array.from({ length: 9 }, (_, i) => h.query(i % 3 === 0 ? GROUPS_QUERY : AGENTS_QUERY)));
    await new Promise((resolve) => setTimeout(resolve, 300)); // some sent, the rest queued for the quota
    await redis.kill();
    const results = await batch;
    expect(results.filter((res) => res.errors !== undefined)).toEqual([]);
    expect(h.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'Redis lost: using in-process limits until it is back' }));
  });

  it('still keeps to the quota, counted in process, without waiting on the dead Redis', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a fresh slice
    const before = h.calls('/v2/agents').length;
    const first = await elapsed(() => h.query(AGENTS_QUERY));
    expect(first.value.errors).toBeUndefined();
    expect(first.ms).toBeLessThan(1_000); // no waiting on Redis (with an offline queue, it would hang)
    const results = await Promise.all(Array.from({ length: 11 }, () => h.query(AGENTS_QUERY)));
    expect(results.filter((res) => res.errors !== undefined)).toEqual([]);
    const times = h.calls('/v2/agents').slice(before).map((call) => call.at);
    expect(maxInWindow(times, 1_000)).toBeLessThanOrEqual(maxInSpan(toSlices(PER_MINUTE), 1_000));
  });

  it('says so in /ready, still with 200 since queries keep working', async () => {
    expect(await h.ready()).toEqual({ status: 200, body: { status: 'ready', redis: 'unavailable, using in-process limits' } });
  });

  it('shares limits again when Redis comes back', async () => {
    await redis.restart();
    expect(await eventually(async () => (await h.ready()).body.redis === 'ok', 10_000)).toBe(true);
    expect(h.logs.at(-1)).toMatchObject({ level: 'info', message: expect.stringMatching(/^Redis connected/) });
    expect((await h.query(AGENTS_QUERY)).errors).toBeUndefined();
  }, 15_000);
});
