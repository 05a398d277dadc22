/**
 * An account's key is retired when it is unlinked or re-pointed at another URL. Keys are never
 * reused, so nothing kept under a retired one could be served again; it is dropped at once all the
 * same, so a deleted account's data does not linger in memory or in Redis until it is evicted.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configuredAccount } from '../../src/account.js';
import { loadConfig } from '../../src/config.js';
import { createMemoryIdempotencyStore } from '../../src/idempotency/store.js';
import { createCatalogCache, createTotalsHint } from '../../src/loaders/catalog-cache.js';
import { createPageCache } from '../../src/loaders/page-cache.js';
import { createResilience, type Resilience } from '../../src/resilience/index.js';
import { Secret } from '../../src/secret.js';
import { describeWithRedis, startRedis, uniquePrefix, type TestRedis } from './support/redis.js';

const silent = { info: () => undefined, warn: () => undefined };
const counter = () => {
  let loads = 0;
  return async () => ++loads;
};

describe('in-process state under a retired key', () => {
  it('drops every catalog of that key and no other', async () => {
    const cache = createCatalogCache(60_000);
    const load = counter();
    for (const key of ['acme:old', 'acme:new']) for (const catalog of ['groups', 'roles']) await cache.get(key, catalog, load);
    await cache.forgetAccount('acme:old');
    expect([await cache.get('acme:old', 'groups', load), await cache.get('acme:old', 'roles', load)]).toEqual([5, 6]);
    expect([await cache.get('acme:new', 'groups', load), await cache.get('acme:new', 'roles', load)]).toEqual([3, 4]);
  });

  it('drops the list totals of that key and no other', () => {
    const totals = createTotalsHint();
    totals.set('acme:old', 'agents', 40);
    totals.set('acme:new', 'agents', 7);
    totals.forgetAccount('acme:old');
    expect([totals.get('acme:old', 'agents'), totals.get('acme:new', 'agents')]).toEqual([undefined, 7]);
  });

  it('drops the cached pages of that key and no other', async () => {
    const pages = createPageCache({ ttlMs: 60_000, resources: ['agents'] });
    const load = counter();
    await pages.get('acme:old', 'agents', 'page=1', load);
    await pages.get('acme:new', 'agents', 'page=1', load);
    pages.forgetAccount('acme:old');
    expect(await pages.get('acme:old', 'agents', 'page=1', load)).toBe(3);
    expect(await pages.get('acme:new', 'agents', 'page=1', load)).toBe(2);
  });

  it('erases the idempotency keys of that key from a store in process, and no other', async () => {
    const store = createMemoryIdempotencyStore();
    const claim = (accountKey: string) => store.claim({ accountKey, key: 'k', fingerprint: 'f', now: 0, leaseUntil: 1_000, expiresAt: 10_000 });
    await claim('acme:old');
    await claim('acme:new');
    await store.forgetAccount!('acme:old');
    expect(await store.read('acme:old', 'k', 1)).toBeNull();
    expect(await store.read('acme:new', 'k', 1)).not.toBeNull();
  });

  it('gives the account a new guard (limits, breakers, retry budget) on its next call', async () => {
    const resilience = createResilience(loadConfig({}).resilience, { log: silent, catalogTtlMs: 0 });
    const account = configuredAccount({ id: 'acme', baseUrl: 'https://acme.freshchat.com/v2', token: new Secret('t') });
    const first = resilience.forAccount(account);
    await resilience.forgetAccount(account.key);
    expect(resilience.forAccount(account)).not.toBe(first);
    await resilience.close();
  });
});

describeWithRedis('state in Redis under a retired key', () => {
  let redis: TestRedis;
  let client: Redis;
  let resilience: Resilience;
  const prefix = uniquePrefix('retired');
  const old = configuredAccount({ id: 'acme', baseUrl: 'https://old.freshchat.com/v2', token: new Secret('t') });
  const kept = configuredAccount({ id: 'acme', baseUrl: 'https://new.freshchat.com/v2', token: new Secret('t') });

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    const settings = loadConfig({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix }).resilience;
    resilience = createResilience(settings, { log: silent, catalogTtlMs: 60_000 });
  }, 30_000);
  afterAll(async () => {
    await resilience?.close();
    client?.disconnect();
    await redis?.close();
  });

  const keysOf = async (accountKey: string) => (await client.keys(`${prefix}:*`)).filter((key) => key.includes(accountKey)).sort();

  it("deletes the account's quota and catalogs, and no other account's", async () => {
    for (const account of [old, kept]) {
      // Redis refuses commands until its connection is up: wait until the quota and catalog are stored there.
      await vi.waitFor(async () => {
        const permit = await resilience.forAccount(account).enter({ family: 'agents', idempotent: true, signal: undefined, deadline: undefined });
        await permit.release({ verdict: 'success', hints: {} });
        await resilience.catalogs.invalidate(account.key, 'groups');
        await resilience.catalogs.get(account.key, 'groups', async () => ['g']);
        expect(await keysOf(account.key)).toEqual([`${prefix}:catalog:v1:${account.key}:groups`, `${prefix}:quota:${account.key}`]);
      }, { timeout: 10_000, interval: 50 });
    }
    await resilience.forgetAccount(old.key);
    await resilience.catalogs.forgetAccount(old.key);
    expect(await keysOf(old.key)).toEqual([]);
    expect(await keysOf(kept.key)).toHaveLength(2);
  });
});
