/** Per-account state is bounded by FRESHCHAT_MAX_ACCOUNTS: least recently used accounts are dropped. */
import { describe, expect, it } from 'vitest';
import { configuredAccount, type Account } from '../../src/account.js';
import { loadConfig } from '../../src/config.js';
import { createCatalogCache, createTotalsHint } from '../../src/loaders/catalog-cache.js';
import { createResilience } from '../../src/resilience/index.js';
import { Secret } from '../../src/secret.js';

const account = (id: string): Account => configuredAccount({ id, baseUrl: `https://${id}.freshchat.com/v2`, token: new Secret('t') });
const silent = { info: () => undefined, warn: () => undefined };

describe('per-account state bounded by FRESHCHAT_MAX_ACCOUNTS', () => {
  it('keeps one guard per account, and drops the least recently used beyond the bound', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map(account) as [Account, Account, Account];
    const settings = loadConfig({ FRESHCHAT_MAX_ACCOUNTS: '2' }).resilience;
    const resilience = createResilience(settings, { log: silent, catalogTtlMs: 0 });
    const first = resilience.forAccount(a);
    expect(resilience.forAccount(a)).toBe(first);
    const firstB = resilience.forAccount(b);
    resilience.forAccount(a); // a is now the most recently used: b goes first
    resilience.forAccount(c);
    expect(resilience.forAccount(a)).toBe(first);
    expect(resilience.forAccount(b)).not.toBe(firstB); // dropped, and started afresh
    await resilience.close();
  });

  it('keeps the catalogs of at most that many accounts', async () => {
    const cache = createCatalogCache(60_000, { maxAccounts: 1 });
    let loads = 0;
    const load = async () => ++loads;
    const catalogs = ['groups', 'roles', 'channels'];
    for (const catalog of catalogs) await cache.get('a', catalog, load);
    expect(await cache.get('a', 'groups', load)).toBe(1); // every catalog of one account fits
    for (const catalog of catalogs) await cache.get('b', catalog, load);
    expect(await cache.get('a', 'groups', load)).toBe(7); // a was dropped for b: walked again
  });

  it('keeps the list totals (each list and a few filtered ones) of at most that many accounts', () => {
    const totals = createTotalsHint({ maxAccounts: 1 });
    const lists = ['agents', 'users', ...Array.from({ length: 14 }, (_, i) => `users?email=${i}`)];
    lists.forEach((list, i) => totals.set('a', list, i));
    expect(lists.map((list) => totals.get('a', list))).toEqual(lists.map((_, i) => i)); // one account's lists fit
    lists.forEach((list, i) => totals.set('b', list, 100 + i));
    expect(lists.map((list) => totals.get('a', list)).filter((total) => total !== undefined)).toEqual([]);
    expect(totals.get('b', 'agents')).toBe(100);
  });
});
