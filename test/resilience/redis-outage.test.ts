/**
 * Redis down, frozen or back: queries keep working on in-process limits and /ready says so. Each
 * test starts its own redis-server and subgraph, so none depends on another's state or on their
 * order, and every wait is for a condition, not for a time a busy machine could outrun.
 */
import { expect, it } from 'vitest';
import { maxInSpan, toSlices } from '../../src/resilience/slices.js';
import { AGENTS_QUERY, GROUPS_QUERY, NO_LINKED, startGuardedHarness, type GuardedHarness } from './support/harness.js';
import { describeWithRedis, startRedis, uniquePrefix, type TestRedis } from './support/redis.js';
import { elapsed, eventually, maxInWindow } from './support/windows.js';

const PER_MINUTE = 305; // 5 per 1 s slice
const FALLBACK = 'unavailable, using in-process limits';

/** A Redis of its own and a subgraph sharing limits through it, connected before `test` runs. */
async function withRedis(test: (redis: TestRedis, h: GuardedHarness) => Promise<void>): Promise<void> {
  const redis = await startRedis();
  let h: GuardedHarness | undefined;
  try {
    h = await startGuardedHarness({
      env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix('outage'), FRESHCHAT_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE), CATALOG_CACHE_TTL_MS: '30000' },
    });
    const harness = h;
    expect(await eventually(async () => (await harness.resilience.redisStatus()) === 'ok')).toBe(true);
    await test(redis, h);
  } finally {
    await h?.close();
    await redis.close();
  }
}

/** Kills Redis and waits until the subgraph has noticed. */
async function killRedis(redis: TestRedis, h: GuardedHarness): Promise<void> {
  await redis.kill();
  expect(await eventually(() => h.logs.some((line) => line.message === 'Redis lost: using in-process limits until it is back'))).toBe(true);
}

describeWithRedis('Redis outages', () => {
  it('reports Redis as ok in /ready while it is up', () =>
    withRedis(async (_redis, h) => {
      expect(await h.ready()).toEqual({ status: 200, body: { status: 'ready', redis: 'ok', linkedAccounts: NO_LINKED } });
      expect((await h.query(AGENTS_QUERY)).errors).toBeUndefined();
    }));

  it('keeps answering a batch of queries when Redis dies in the middle of it', () =>
    withRedis(async (redis, h) => {
      const batch = Promise.all(Array.from({ length: 9 }, (_, i) => h.query(i % 3 === 0 ? GROUPS_QUERY : AGENTS_QUERY)));
      // Some sent, the rest waiting for the next 1 s slice of the quota kept in Redis.
      expect(await eventually(() => h.calls().length > 0)).toBe(true);
      await redis.kill();
      const results = await batch;
      expect(results.filter((res) => res.errors !== undefined)).toEqual([]);
      expect(await eventually(() => h.logs.some((line) => line.level === 'warn' && /^Redis lost/.test(line.message)))).toBe(true);
    }));

  it('still keeps to the quota, counted in process, without waiting on the dead Redis', () =>
    withRedis(async (redis, h) => {
      await killRedis(redis, h);
      const first = await elapsed(() => h.query(AGENTS_QUERY));
      expect(first.value.errors).toBeUndefined();
      expect(first.ms).toBeLessThan(1_000); // no waiting on Redis (with an offline queue, it would hang)
      const results = await Promise.all(Array.from({ length: 11 }, () => h.query(AGENTS_QUERY)));
      expect(results.filter((res) => res.errors !== undefined)).toEqual([]);
      const times = h.calls('/v2/agents').map((call) => call.at);
      expect(maxInWindow(times, 1_000)).toBeLessThanOrEqual(maxInSpan(toSlices(PER_MINUTE), 1_000));
    }));

  it('says so in /ready, still with 200 since queries keep working', () =>
    withRedis(async (redis, h) => {
      await killRedis(redis, h);
      expect(await h.ready()).toEqual({ status: 200, body: { status: 'ready', redis: FALLBACK, linkedAccounts: NO_LINKED } });
    }));

  it('shares limits again when Redis comes back', () =>
    withRedis(async (redis, h) => {
      await killRedis(redis, h);
      await redis.restart();
      expect(await eventually(async () => (await h.ready()).body.redis === 'ok', 10_000)).toBe(true);
      expect(h.logs.at(-1)).toMatchObject({ level: 'info', message: expect.stringMatching(/^Redis connected/) });
      expect((await h.query(AGENTS_QUERY)).errors).toBeUndefined();
    }), 20_000);

  it('reads a frozen Redis (TCP accepted, nothing answered) as down in /ready, within a second', () =>
    withRedis(async (redis, h) => {
      redis.freeze();
      const { value, ms } = await elapsed(() => h.ready());
      expect(value).toEqual({ status: 200, body: { status: 'ready', redis: FALLBACK, linkedAccounts: NO_LINKED } });
      expect(ms).toBeLessThan(1_500); // the PING's 500 ms command timeout, not a hang
      expect(h.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'Redis lost: using in-process limits until it is back' }));
      // Queries go straight to the in-process limits meanwhile: the frozen connection was dropped.
      const query = await elapsed(() => h.query(AGENTS_QUERY));
      expect(query.value.errors).toBeUndefined();
      expect(query.ms).toBeLessThan(500);
      redis.thaw();
      expect(await eventually(async () => (await h.ready()).body.redis === 'ok', 10_000)).toBe(true);
    }), 20_000);
});
