import { configuredAccount } from '../../src/account.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialLifecycle } from '../../src/accounts/lifecycle.js';
import { openRegistry, type Registry } from '../../src/accounts/registry.js';
import { createAccountSource } from '../../src/accounts/source.js';
import type { AccountStatus, AccountStore } from '../../src/accounts/store.js';
import { createFreshchatClient } from '../../src/freshchat/client.js';
import { loadConfig } from '../../src/config.js';
import { decodeConfiguration } from '../../src/freshchat/decode.js';
import { createDispatcher } from '../../src/freshchat/http.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { Secret } from '../../src/secret.js';
import { createPglite, newKey, type TestDatabase } from './databases.js';

let database: TestDatabase;
let registry: Registry;
let sandbox: Sandbox;
const dispatcher = createDispatcher(loadConfig({}).upstream);

beforeAll(async () => {
  database = await createPglite();
  registry = await openRegistry({ ...database, credentialsKey: newKey(), previousCredentialsKey: undefined });
  sandbox = await startSandbox({ token: 'lifecycle-token-0123456789' });
});
afterAll(async () => {
  await registry.close();
  await database.drop();
  await sandbox.close();
  await dispatcher.close();
});

/** The store, counting the status writes that reach the database. */
function counting(store: AccountStore) {
  const writes: [string, AccountStatus][] = [];
  return {
    writes,
    setStatus: async (id: string, status: AccountStatus, code: string | null) => {
      writes.push([id, status]);
      await store.setStatus(id, status, code);
    },
  };
}

let accountId: string;
beforeEach(async () => {
  accountId = (await registry.store.insert({ name: 'A', apiUrl: sandbox.baseUrl, tenant: null, token: sandbox.token })).id;
});

describe('the credential lifecycle', () => {
  it('marks the account invalid_credentials on a Freshchat 401', async () => {
    await createCredentialLifecycle(registry.store).observe(accountId, 401);
    expect(await registry.store.get(accountId)).toMatchObject({ status: 'invalid_credentials', lastErrorCode: 'UNAUTHENTICATED' });
  });

  it('marks it active again on a later success', async () => {
    const lifecycle = createCredentialLifecycle(registry.store);
    await lifecycle.observe(accountId, 401);
    await lifecycle.observe(accountId, 200);
    expect(await registry.store.get(accountId)).toMatchObject({ status: 'active', lastErrorCode: null });
  });

  it.each([403, 404, 429, 500, 503])('leaves the status alone on a %i, which says nothing of the token', async (status) => {
    const lifecycle = createCredentialLifecycle(registry.store);
    await lifecycle.observe(accountId, 401);
    await lifecycle.observe(accountId, status);
    expect((await registry.store.get(accountId))?.status).toBe('invalid_credentials');
  });

  it('writes only changes: success after success costs no database write', async () => {
    const store = counting(registry.store);
    const lifecycle = createCredentialLifecycle(store);
    for (const status of [200, 200, 200, 401, 401, 200, 200]) await lifecycle.observe(accountId, status);
    expect(store.writes.map(([, status]) => status)).toEqual(['active', 'invalid_credentials', 'active']);
  });

  it('learns the stored status when the account is read, so a success after another replica’s 401 is written', async () => {
    const store = counting(registry.store);
    const lifecycle = createCredentialLifecycle(store);
    await lifecycle.observe(accountId, 200);
    await registry.store.setStatus(accountId, 'invalid_credentials', 'UNAUTHENTICATED'); // another replica
    await createAccountSource(registry.store, null, { lifecycle }).find(accountId);
    await lifecycle.observe(accountId, 200);
    expect((await registry.store.get(accountId))?.status).toBe('active');
  });

  it('remembers a bounded number of accounts', async () => {
    const store = counting(registry.store);
    const lifecycle = createCredentialLifecycle(store, 2);
    for (const id of [accountId, 'b', 'c']) await lifecycle.observe(id, 200);
    await lifecycle.observe(accountId, 200); // forgotten: written again
    expect(store.writes.map(([id]) => id)).toEqual([accountId, 'b', 'c', accountId]);
  });

  it('follows the upstream answers the Freshchat client reports for the account', async () => {
    const lifecycle = createCredentialLifecycle(registry.store);
    const clientWith = (token: string) =>
      createFreshchatClient({
        account: configuredAccount({ id: accountId, baseUrl: sandbox.baseUrl, token: new Secret(token) }),
        dispatcher,
        retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
        // The hook the GraphQL context gives the client: every attempt's status reaches the lifecycle.
        onAttempt: (info) => void (info.status !== undefined && lifecycle.observe(accountId, info.status)),
      });
    await clientWith('revoked-token').read('/accounts/configuration', decodeConfiguration).catch(() => undefined);
    await expect.poll(async () => (await registry.store.get(accountId))?.status).toBe('invalid_credentials');
    await clientWith(sandbox.token).read('/accounts/configuration', decodeConfiguration);
    await expect.poll(async () => (await registry.store.get(accountId))?.status).toBe('active');
  });
});
