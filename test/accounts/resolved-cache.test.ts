import { describe, expect, it } from 'vitest';
import { configuredAccount } from '../../src/account.js';
import { createAccountSource } from '../../src/accounts/source.js';
import type { AccountStore, LinkedAccount } from '../../src/accounts/store.js';
import { Secret } from '../../src/secret.js';

/** A registry stand-in that counts its reads; `rows` is what another replica may change under it. */
function registryOf(rows: Map<string, { apiUrl: string; identity: string }>) {
  const reads: string[] = [];
  let failing = false;
  const store: Pick<AccountStore, 'getWithToken'> = {
    async getWithToken(id) {
      reads.push(id);
      if (failing) throw new Error('registry unavailable');
      const row = rows.get(id);
      if (!row) return null;
      const account: LinkedAccount = {
        id, name: id, apiUrl: row.apiUrl, tenant: null, status: 'active', lastValidatedAt: null, lastErrorCode: null, createdAt: '2025-01-01T00:00:00.000Z',
      };
      return { account, token: new Secret(`token-${id}`), identity: row.identity };
    },
  };
  return { store, reads, fail: (on: boolean) => (failing = on) };
}

const clock = () => {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('linked accounts resolved across requests', () => {
  it('reads a warm account from memory, not the registry, until its TTL', async () => {
    const rows = new Map([['acme', { apiUrl: 'https://acme.freshchat.com/v2', identity: 'i1' }]]);
    const { store, reads } = registryOf(rows);
    const time = clock();
    const source = createAccountSource(store, null, { cache: { ttlMs: 5_000, maxAccounts: 10, now: time.now } });
    expect((await source.find('acme'))?.key).toBe('acme:i1');
    time.advance(4_999);
    await source.find('acme');
    expect(reads).toEqual(['acme']);
  });

  it("sees another replica's change once the TTL has passed", async () => {
    const rows = new Map([['acme', { apiUrl: 'https://acme.freshchat.com/v2', identity: 'i1' }]]);
    const { store } = registryOf(rows);
    const time = clock();
    const source = createAccountSource(store, null, { cache: { ttlMs: 5_000, maxAccounts: 10, now: time.now } });
    await source.find('acme');
    rows.set('acme', { apiUrl: 'https://globex.freshchat.com/v2', identity: 'i2' });
    expect((await source.find('acme'))?.baseUrl).toBe('https://acme.freshchat.com/v2');
    time.advance(5_000);
    expect(await source.find('acme')).toMatchObject({ baseUrl: 'https://globex.freshchat.com/v2', key: 'acme:i2' });
  });

  it("drops an account at once when this process changes it", async () => {
    const rows = new Map([['acme', { apiUrl: 'https://acme.freshchat.com/v2', identity: 'i1' }]]);
    const { store, reads } = registryOf(rows);
    const source = createAccountSource(store, null, { cache: { ttlMs: 60_000, maxAccounts: 10 } });
    await source.find('acme');
    rows.delete('acme');
    source.forget('acme');
    expect(await source.find('acme')).toBeNull();
    expect(reads).toEqual(['acme', 'acme']);
  });

  it('shares one registry read between concurrent requests for a cold account', async () => {
    const { store, reads } = registryOf(new Map([['acme', { apiUrl: 'https://acme.freshchat.com/v2', identity: 'i1' }]]));
    const source = createAccountSource(store, null, { cache: { ttlMs: 5_000, maxAccounts: 10 } });
    await Promise.all(Array.from({ length: 20 }, () => source.find('acme')));
    expect(reads).toEqual(['acme']);
  });

  it('keeps neither an unknown id nor a failed read, so the next request asks again', async () => {
    const rows = new Map<string, { apiUrl: string; identity: string }>();
    const { store, reads, fail } = registryOf(rows);
    const source = createAccountSource(store, null, { cache: { ttlMs: 60_000, maxAccounts: 10 } });
    expect(await source.find('acme')).toBeNull();
    rows.set('acme', { apiUrl: 'https://acme.freshchat.com/v2', identity: 'i1' }); // linked through another replica
    fail(true);
    await expect(source.find('acme')).rejects.toThrow('registry unavailable');
    fail(false);
    expect((await source.find('acme'))?.id).toBe('acme');
    expect(reads).toEqual(['acme', 'acme', 'acme']);
  });

  it('keeps at most FRESHCHAT_MAX_ACCOUNTS accounts, dropping the least recently used', async () => {
    const rows = new Map(['a', 'b', 'c'].map((id) => [id, { apiUrl: `https://${id}.freshchat.com/v2`, identity: 'i' }]));
    const { store, reads } = registryOf(rows);
    const source = createAccountSource(store, null, { cache: { ttlMs: 60_000, maxAccounts: 2 } });
    for (const id of ['a', 'b', 'a', 'c', 'a', 'b']) await source.find(id);
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('reads the registry on every request when ACCOUNT_CACHE_TTL_MS is 0', async () => {
    const { store, reads } = registryOf(new Map([['acme', { apiUrl: 'https://acme.freshchat.com/v2', identity: 'i1' }]]));
    const source = createAccountSource(store, null, { cache: { ttlMs: 0, maxAccounts: 10 } });
    await source.find('acme');
    await source.find('acme');
    expect(reads).toEqual(['acme', 'acme']);
  });

  it('answers the environment account without asking the registry', async () => {
    const { store, reads } = registryOf(new Map());
    const environment = configuredAccount({ id: 'default', baseUrl: 'https://env.freshchat.com/v2', token: new Secret('t') });
    const source = createAccountSource(store, environment, { cache: { ttlMs: 5_000, maxAccounts: 10 } });
    expect(await source.find('default')).toBe(environment);
    expect(reads).toEqual([]);
  });
});
