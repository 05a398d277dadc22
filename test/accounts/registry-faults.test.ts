import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/relay/ids.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { Secret } from '../../src/secret.js';
import { startFreezableProxy, type FreezableProxy } from '../support/freezable-proxy.js';
import { ADMIN_TOKEN, allowing, startAccountsApp, startLinkedSubgraph, type AccountsApp, type LinkedSubgraph } from './app.js';
import { BACKENDS, type TestDatabase } from './databases.js';

/**
 * The registry's Postgres frozen (README "Linked accounts", docs/resilience.md): every request that
 * needs it answers by its deadline with a typed error, the small pool is not left full of stuck
 * connections, and what is logged names the fault, never a statement or its parameters. The server
 * is frozen behind a proxy (test/support/freezable-proxy.ts), so the shared Postgres is never touched.
 *
 * The subgraph's REGISTRY_TIMEOUT_MS is a minute: only the request deadline (1 s) can end a lookup
 * before the test's own timeout. The admin API, which has no request deadline, runs beside it with
 * REGISTRY_TIMEOUT_MS=1000.
 */
const postgres = BACKENDS.find((backend) => backend.name === 'postgres')!;
const KEY = Buffer.alloc(32, 9).toString('base64');

let sandbox: Sandbox;
let database: TestDatabase;
let proxy: FreezableProxy;
let subgraph: LinkedSubgraph;
let base: string;
let admin: AccountsApp;

beforeAll(async () => {
  if (!postgres.available) return;
  sandbox = await startSandbox({ token: 'frozen-registry-token-0123456789' });
  database = await postgres.create();
  proxy = await startFreezableProxy(new URL(database.databaseUrl!.reveal()));
  // ACCOUNT_CACHE_TTL_MS=0: every request reads its account from the registry (a resolved one would
  // be served from memory while the database is frozen, for up to that long).
  subgraph = await startLinkedSubgraph({
    DATABASE_URL: proxy.url,
    CREDENTIALS_KEY: KEY,
    REQUEST_DEADLINE_MS: '1000',
    REGISTRY_TIMEOUT_MS: '60000',
    ACCOUNT_CACHE_TTL_MS: '0',
  });
  base = subgraph.base;
  await subgraph.accounts.registry.store.insert({ id: 'acc-a', name: 'A', apiUrl: sandbox.baseUrl, tenant: null, token: sandbox.token });
  admin = await startAccountsApp(
    { REGISTRY_TIMEOUT_MS: '1000', FRESHCHAT_ALLOWED_HOSTS: allowing(sandbox.baseUrl), CREDENTIALS_KEY: KEY },
    { database: { databaseUrl: new Secret(proxy.url), dataDir: '/nonexistent', drop: async () => undefined } },
  );
}, 60_000);

afterEach(() => proxy?.thaw());

afterAll(async () => {
  await admin?.close();
  await subgraph?.close();
  await proxy?.close();
  await database?.drop();
  await sandbox?.close();
});

interface GraphqlBody {
  data?: { freshchat: { accountId: string; ticketingUsers?: { totalCount: number } } | null; __typename?: string };
  errors?: { path?: string[]; extensions?: Record<string, unknown> }[];
}

const graphql = async (query: string): Promise<GraphqlBody> =>
  (await (await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as GraphqlBody;

describe.skipIf(!postgres.available)('a frozen registry database', () => {
  it('answers a linked account’s query by the request deadline, REGISTRY_UNAVAILABLE at freshchat and nothing else nulled', async () => {
    proxy.freeze();
    const res = await graphql('{ freshchat(accountId: "acc-a") { accountId } __typename }');
    expect(res.data).toEqual({ freshchat: null, __typename: 'Query' });
    expect(res.errors).toEqual([
      {
        message: 'The linked-accounts registry is unavailable or did not answer in time; retry later.',
        path: ['freshchat'],
        locations: expect.any(Array),
        extensions: { code: 'REGISTRY_UNAVAILABLE', retryAfter: 1 },
      },
    ]);
  });

  it('does not let stuck lookups exhaust its pool: a dozen fail by their deadline, and the first query after the thaw is served', async () => {
    proxy.freeze();
    const stuck = await Promise.all(Array.from({ length: 12 }, (_, i) => graphql(`{ freshchat(accountId: "acc-${i}") { accountId } }`)));
    for (const res of stuck) expect(res.errors?.[0]?.extensions?.code).toBe('REGISTRY_UNAVAILABLE');
    proxy.thaw();
    const res = await graphql('{ freshchat(accountId: "acc-a") { accountId ticketingUsers(first: 1) { totalCount } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data?.freshchat).toEqual({ accountId: 'acc-a', ticketingUsers: { totalCount: sandbox.dataset.agents.length } });
  }, 20_000);

  it('answers an _entities representation of a linked account with REGISTRY_UNAVAILABLE at its item', async () => {
    const id = toGlobalId({ provider: 'freshchat', typename: 'FreshchatTicketingUser', accountId: 'acc-a', remoteId: 'agent-1' });
    proxy.freeze();
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatTicketingUser { id } } }',
        variables: { r: [{ __typename: 'FreshchatTicketingUser', id }] },
      }),
    });
    const body = (await res.json()) as { data: unknown; errors: { path: unknown[]; extensions: { code: string } }[] };
    expect(body.data).toEqual({ _entities: [null] });
    expect(body.errors.map((e) => [e.path, e.extensions.code])).toEqual([[['_entities', 0], 'REGISTRY_UNAVAILABLE']]);
  });

  it('answers the passthrough with a JSON 503 REGISTRY_UNAVAILABLE', async () => {
    proxy.freeze();
    const res = await fetch(`${base}/proxy/freshchat/v2/agents`, { headers: { 'x-freshchat-account-id': 'acc-a' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ error: { code: 'REGISTRY_UNAVAILABLE', message: expect.any(String) } });
  });

  it('answers /ready, saying the registry is unavailable rather than hanging', async () => {
    proxy.freeze();
    const res = await fetch(`${base}/ready`);
    expect(await res.json()).toMatchObject({ linkedAccounts: { error: 'registry unavailable' } });
  });

  it('answers the admin API with a JSON 503 REGISTRY_UNAVAILABLE by REGISTRY_TIMEOUT_MS', async () => {
    proxy.freeze();
    const res = await fetch(`${admin.url}/admin/accounts`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ error: { code: 'REGISTRY_UNAVAILABLE', message: expect.any(String) } });
  });

  it('answers the link page with a page that says to try again', async () => {
    const { body } = await admin.admin('POST', '/admin/link-sessions', {});
    proxy.freeze();
    const res = await fetch(body!.url!);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('Try again in a moment');
  });

  it('logs each fault with its reason, never a statement or a parameter', async () => {
    proxy.freeze();
    await graphql('{ freshchat(accountId: "acc-logged") { accountId } }');
    proxy.thaw();
    const logs = subgraph.logs();
    const lines = logs.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const faults = lines.filter((line) => line.code === 'REGISTRY_UNAVAILABLE');
    expect(faults.length).toBeGreaterThan(0);
    expect(faults[0]).toMatchObject({ level: 40, reason: expect.any(String) });
    expect(logs).not.toMatch(/select|accounts where|acc-logged"\]|\$1/i);
  });
});
