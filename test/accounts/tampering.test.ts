import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/accounts/registry.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startLinkedSubgraph, type LinkedSubgraph } from './app.js';
import { BACKENDS, type TestDatabase } from './databases.js';

/**
 * Someone who can write the registry's database but does not hold CREDENTIALS_KEY (a leaked
 * database password, a backup restored by hand) changes where an account's token goes, or who may
 * use it, or under which key its pages, guards and idempotency outcomes are kept. The token is bound
 * to the account's id, API URL, tenant and identity, so the account becomes unusable with a clear
 * error, and the token is never sent anywhere.
 */
const SECRET = 'tampering-test-hs256-secret-0123456789';
const jwt = (tenant: string) =>
  new SignJWT({ tenant }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));

describe.each(BACKENDS)('an account row changed in the database on $name', (backend) => {
  let sandbox: Sandbox;
  let capture: Server;
  let captured: { authorization: string | undefined; url: string | undefined }[];
  let captureUrl: string;
  let database: TestDatabase;
  let subgraph: LinkedSubgraph;

  beforeAll(async () => {
    if (!backend.available) return;
    sandbox = await startSandbox({ token: 'tampered-account-token-0123456789' });
    captured = [];
    // Where an attacker would point the account: it records whatever reaches it.
    capture = createHttpServer((req, res) => {
      captured.push({ authorization: req.headers.authorization, url: req.url });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}/v2`;
    database = await backend.create();
    subgraph = await startLinkedSubgraph({
      DATA_DIR: database.dataDir,
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl.reveal() } : {}),
      CREDENTIALS_KEY: Buffer.alloc(32, 5).toString('base64'),
      AUTH_JWT_SECRET: SECRET,
      // Every request reads the row, as another replica does once its resolved account expires.
      ACCOUNT_CACHE_TTL_MS: '0',
    });
    await subgraph.accounts.registry.store.insert({ id: 'acc-t', name: 'T', apiUrl: sandbox.baseUrl, tenant: 'ta', token: sandbox.token });
  }, 120_000);

  afterAll(async () => {
    await subgraph?.close();
    await database?.drop();
    capture?.close();
    await sandbox?.close();
  });

  const AGENTS = '{ freshchat(accountId: "acc-t") { accountId ticketingUsers(first: 1) { totalCount } } __typename }';
  async function query(tenant: string) {
    const res = await fetch(`${subgraph.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await jwt(tenant)}` },
      body: JSON.stringify({ query: AGENTS }),
    });
    return (await res.json()) as { data: { freshchat: unknown; __typename: string }; errors?: { path: string[]; extensions: { code: string } }[] };
  }
  const passthrough = async (tenant: string) =>
    fetch(`${subgraph.base}/proxy/freshchat/v2/agents`, { headers: { 'x-freshchat-account-id': 'acc-t', authorization: `Bearer ${await jwt(tenant)}` } });
  const set = (column: 'api_url' | 'tenant' | 'identity', value: string) => subgraph.accounts.registry.db.query(`update accounts set ${column} = $1 where id = 'acc-t'`, [value]);

  it.skipIf(!backend.available)('serves the account while its row is as linked', async () => {
    expect((await query('ta')).data.freshchat).toEqual({ accountId: 'acc-t', ticketingUsers: { totalCount: sandbox.dataset.agents.length } });
  });

  it.skipIf(!backend.available)("makes the token undecryptable, not redirected, when api_url is pointed elsewhere: ACCOUNT_UNUSABLE, nothing sent", async () => {
    for (const elsewhere of [captureUrl, 'https://evil.example/v2']) {
      await set('api_url', elsewhere);
      const res = await query('ta');
      expect(res.data).toEqual({ freshchat: null, __typename: 'Query' });
      expect(res.errors).toEqual([expect.objectContaining({ path: ['freshchat'], extensions: { code: 'ACCOUNT_UNUSABLE' } })]);
      const proxied = await passthrough('ta');
      expect(proxied.status).toBe(503);
      expect(await proxied.json()).toEqual({ error: { code: 'ACCOUNT_UNUSABLE', message: expect.stringMatching(/link the account again/) } });
    }
    expect(captured).toEqual([]);
    await set('api_url', sandbox.baseUrl); // as linked: it opens again
    expect((await query('ta')).errors).toBeUndefined();
  });

  it.skipIf(!backend.available)('gives the token to no one when tenant is changed: the new tenant is told it is unusable, others that it does not exist', async () => {
    await set('tenant', 'tb');
    expect((await query('tb')).errors?.[0]?.extensions.code).toBe('ACCOUNT_UNUSABLE');
    expect((await query('ta')).errors?.[0]?.extensions.code).toBe('ACCOUNT_NOT_FOUND');
    expect((await passthrough('tb')).status).toBe(503);
    await set('tenant', 'ta');
    expect((await query('ta')).errors).toBeUndefined();
  });

  it.skipIf(!backend.available)("refuses the token when identity is rewritten (another account's kept state): ACCOUNT_UNUSABLE, nothing sent", async () => {
    const [{ identity }] = (await subgraph.accounts.registry.db.query<{ identity: string }>(`select identity from accounts where id = 'acc-t'`)) as [{ identity: string }];
    await set('identity', 'identity-of-the-attackers-choosing');
    expect((await query('ta')).errors?.[0]?.extensions.code).toBe('ACCOUNT_UNUSABLE');
    expect((await passthrough('ta')).status).toBe(503);
    expect(captured).toEqual([]);
    await set('identity', identity);
    expect((await query('ta')).errors).toBeUndefined();
  });

  it.skipIf(!backend.available)('logs which account is unusable and why, never the token', () => {
    const line = subgraph.logs().split('\n').find((l) => l.includes('"ACCOUNT_UNUSABLE"'));
    expect(JSON.parse(line!)).toMatchObject({ level: 40, accountId: 'acc-t', reason: expect.stringMatching(/changed outside this subgraph/) });
    expect(subgraph.logs()).not.toContain(sandbox.token);
  });

  it.skipIf(!backend.available)('is usable again once linked again with its token for its URL', async () => {
    await set('api_url', captureUrl);
    await subgraph.accounts.registry.store.update('acc-t', { apiUrl: sandbox.baseUrl, token: sandbox.token });
    expect((await query('ta')).data.freshchat).toMatchObject({ accountId: 'acc-t' });
    expect(captured).toEqual([]);
  });

  it.skipIf(!backend.available)('starts with such a row, naming it, rather than refusing to start as for a wrong key', async () => {
    await set('api_url', 'https://evil.example/v2');
    await subgraph.close();
    const reopened = await openRegistry(subgraph.config.accounts);
    try {
      expect(reopened.unusable).toEqual(['acc-t']);
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
