import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTotalsHint } from '../../src/loaders/catalog-cache.js';
import { describeWithRedis, startRedis, uniquePrefix, type TestRedis } from '../resilience/support/redis.js';
import { globalId, startHarness, type Harness } from '../support/harness.js';
import { SET_AVAILABILITY } from './operations.js';

const GROUPS = `{ freshchat { groups(first: 1) { totalCount } } }`;

/**
 * Group objects may embed their agents (the Swagger group model has `agents`), so an agent write
 * must drop the account's cached groups catalog: the next read walks /v2/groups again.
 */
function catalogInvalidationSuite(start: () => Promise<Harness>) {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 30_000);
  afterAll(() => h?.close());

  const groupCalls = async () => {
    h.sandbox.resetCalls();
    expect((await h.query(GROUPS)).errors).toBeUndefined();
    return h.sandbox.calls.filter((c) => c.path === '/v2/groups').length;
  };

  it('serves groups from the cache until an agent write, then walks them again', async () => {
    // Redis refuses commands until its connection is up (no offline queue): wait for the cache to hold.
    await vi.waitFor(async () => expect(await groupCalls()).toBe(0), { timeout: 10_000, interval: 20 });
    const agent = h.sandbox.dataset.agents.find((a) => !a.is_deactivated)!;
    const res = await h.query(SET_AVAILABILITY, { id: globalId('FreshchatTicketingUser', agent.id), availability: 'UNAVAILABLE' });
    expect(res.errors).toBeUndefined();
    expect(await groupCalls()).toBeGreaterThan(0);
    expect(await groupCalls()).toBe(0);
  });
}

describe('read-after-write with the in-process catalog cache', () => {
  catalogInvalidationSuite(() => startHarness({ env: { CATALOG_CACHE_TTL_MS: '600000' } }));
});

describeWithRedis('read-after-write with the catalog cache in Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(() => redis?.close());
  catalogInvalidationSuite(() =>
    startHarness({
      resilience: true,
      env: { CATALOG_CACHE_TTL_MS: '600000', REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix('writes'), FRESHCHAT_RATE_LIMIT_PER_MINUTE: '100000' },
    }),
  );
});

describe('the totals hint', () => {
  it('forgets a list total that a write changed', () => {
    const totals = createTotalsHint();
    totals.set('acme', 'users', 2000);
    totals.forget('acme', 'users');
    expect(totals.get('acme', 'users')).toBeUndefined();
  });
});
