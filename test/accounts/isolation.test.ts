import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccounts, type Accounts } from '../../src/accounts/index.js';
import { loadConfig } from '../../src/config.js';
import { createAccountTransports } from '../../src/freshchat/account-transport.js';
import { createDispatcher } from '../../src/freshchat/http.js';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createServer, type SubgraphServer } from '../../src/server.js';
import { createPglite, type TestDatabase } from './databases.js';

/**
 * Two customers' accounts behind one subgraph (docs/design.md#linked-accounts): sandboxes with different data and
 * tokens, linked in the registry for two tenants, queried over HTTP with caller JWTs, as a router
 * would. Tenant `ta` owns `acc-a` (sandbox A) and `acc-a2` (sandbox B); tenant `tb` owns `acc-b`
 * (sandbox B), so ids and cursors can be carried across accounts of one tenant and across tenants.
 */
const SECRET = 'isolation-test-hs256-secret-0123456789';

let sandboxA: Sandbox;
let sandboxB: Sandbox;
let database: TestDatabase;
let accounts: Accounts;
let server: SubgraphServer;
let url: string;
const dispatcher = createDispatcher(loadConfig({}).upstream);

interface Response<T> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** What the operations below select; a field the subgraph nulled is null. */
interface Data {
  freshchat: {
    accountId: string;
    ticketingUsers: { nodes: { id: string; name: string }[]; pageInfo: { endCursor: string } } | null;
    groups: { nodes: { name: string }[] } | null;
    node: { id: string } | null;
    nodes: ({ id: string } | null)[];
  } | null;
  _entities: ({ id: string; name?: string } | null)[];
}

async function query<T = Data>(
  text: string,
  options: { tenant?: string | null; variables?: Record<string, unknown>; account?: string; token?: string } = {},
): Promise<Response<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const jwt = options.token ?? (options.tenant === undefined ? undefined : await tokenFor(options.tenant));
  if (jwt) headers.authorization = `Bearer ${jwt}`;
  if (options.account) headers['x-freshchat-account-id'] = options.account;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: text, variables: options.variables }) });
  return { status: res.status, ...((await res.json()) as Omit<Response<T>, 'status'>) };
}

const tokenFor = (tenant: string | null) =>
  new SignJWT(tenant === null ? {} : { tenant }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));

const AGENTS = `query ($account: ID, $after: String) {
  freshchat(accountId: $account) { accountId ticketingUsers(first: 3, after: $after) { nodes { id name } pageInfo { endCursor } } }
}`;

const namesIn = (sandbox: Sandbox, count = 3) =>
  [...sandbox.dataset.agents].slice(0, count).map((agent) => `${agent.first_name} ${agent.last_name}`.trim());

beforeAll(async () => {
  sandboxA = await startSandbox({ seed: 1, token: 'token-of-customer-a-0123456789' });
  sandboxB = await startSandbox({ seed: 2, token: 'token-of-customer-b-0123456789' });
  database = await createPglite();
  const config = loadConfig({
    DATA_DIR: database.dataDir,
    CREDENTIALS_KEY: Buffer.alloc(32, 3).toString('base64'),
    AUTH_JWT_SECRET: SECRET,
    LOG_LEVEL: 'silent',
    UPSTREAM_RETRY_BASE_MS: '5',
    UPSTREAM_RETRY_MAX_MS: '20',
  });
  // The credential lifecycle sees every attempt, as src/bootstrap.ts wires it (no call is made before
  // `accounts` is set).
  const transports = createAccountTransports({ dispatcher, retry: config.upstream.retry, observe: (account, info) => accounts.observeAttempt(account, info) });
  accounts = await startAccounts(config.accounts, { transports, logger: createLogger('silent'), environment: null });
  const link = (id: string, tenant: string, sandbox: Sandbox, token = sandbox.token) =>
    accounts.registry.store.insert({ id, name: id, apiUrl: sandbox.baseUrl, tenant, token });
  await link('acc-a', 'ta', sandboxA);
  await link('acc-a2', 'ta', sandboxB);
  await link('acc-b', 'tb', sandboxB);
  await link('acc-revoked', 'ta', sandboxA, 'a-token-freshchat-no-longer-accepts');
  server = await createServer(config, {
    accounts: accounts.source,
    transports,
    logger: createLogger('silent'),
    linked: accounts.wiring,
  });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await accounts?.close();
  await database?.drop();
  await dispatcher.close();
  await sandboxA?.close();
  await sandboxB?.close();
});

describe('two customers behind one subgraph', () => {
  it('serves each tenant its own account, from its own Freshchat with its own token', async () => {
    expect(namesIn(sandboxA)).not.toEqual(namesIn(sandboxB)); // the two datasets differ
    const a = await query(AGENTS, { tenant: 'ta', variables: { account: 'acc-a' } });
    const b = await query(AGENTS, { tenant: 'tb', variables: { account: 'acc-b' } });
    expect(a.errors).toBeUndefined();
    expect(a.data!.freshchat!.ticketingUsers!.nodes.map((n) => n.name)).toEqual(namesIn(sandboxA));
    expect(b.data!.freshchat!.ticketingUsers!.nodes.map((n) => n.name)).toEqual(namesIn(sandboxB));
  });

  it('chooses the account from the x-freshchat-account-id header when no argument names one', async () => {
    const res = await query(AGENTS, { tenant: 'tb', account: 'acc-b' });
    expect(res.data!.freshchat!.accountId).toBe('acc-b');
  });

  it("answers another tenant's account exactly like an unknown one (ACCOUNT_NOT_FOUND, nothing else nulled)", async () => {
    const theirs = await query(`{ freshchat(accountId: "acc-b") { accountId } __typename }`, { tenant: 'ta' });
    const unknown = await query(`{ freshchat(accountId: "acc-nope") { accountId } __typename }`, { tenant: 'ta' });
    expect(theirs.data).toEqual({ freshchat: null, __typename: 'Query' });
    expect(theirs.errors).toEqual([expect.objectContaining({ path: ['freshchat'], extensions: expect.objectContaining({ code: 'ACCOUNT_NOT_FOUND' }) })]);
    expect(JSON.stringify(theirs).replaceAll('acc-b', 'X')).toBe(JSON.stringify(unknown).replaceAll('acc-nope', 'X'));
  });

  it("refuses another tenant's account named by the header too", async () => {
    const res = await query(AGENTS, { tenant: 'ta', account: 'acc-b' });
    expect(res.errors?.[0]?.extensions?.code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('answers an account unlinked a moment ago with ACCOUNT_NOT_FOUND', async () => {
    await accounts.registry.store.insert({ id: 'acc-gone', name: 'g', apiUrl: sandboxA.baseUrl, tenant: 'ta', token: sandboxA.token });
    expect((await query(AGENTS, { tenant: 'ta', variables: { account: 'acc-gone' } })).errors).toBeUndefined();
    await accounts.registry.store.remove('acc-gone');
    expect((await query(AGENTS, { tenant: 'ta', variables: { account: 'acc-gone' } })).errors?.[0]?.extensions?.code).toBe('ACCOUNT_NOT_FOUND');
  });
});

describe('ids and cursors carried across accounts', () => {
  let idA: string;
  let idA2: string;
  let idB: string;
  let cursorA: string;

  beforeAll(async () => {
    const a = await query(AGENTS, { tenant: 'ta', variables: { account: 'acc-a' } });
    const a2 = await query(AGENTS, { tenant: 'ta', variables: { account: 'acc-a2' } });
    const b = await query(AGENTS, { tenant: 'tb', variables: { account: 'acc-b' } });
    idA = a.data!.freshchat!.ticketingUsers!.nodes[0]!.id;
    idA2 = a2.data!.freshchat!.ticketingUsers!.nodes[0]!.id;
    idB = b.data!.freshchat!.ticketingUsers!.nodes[0]!.id;
    cursorA = a.data!.freshchat!.ticketingUsers!.pageInfo.endCursor;
  });

  const LOOKUPS = `query ($account: ID, $id: ID!, $ids: [ID!]!) {
    freshchat(accountId: $account) { node(id: $id) { id } nodes(ids: $ids) { id } }
  }`;

  it("gives null from node and nodes for another account's id, of the same tenant or another", async () => {
    const res = await query(LOOKUPS, { tenant: 'ta', variables: { account: 'acc-a', id: idA2, ids: [idA, idA2, idB] } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.freshchat).toEqual({ node: null, nodes: [{ id: idA }, null, null] });
  });

  it("answers a typed lookup of another account's id with BAD_USER_INPUT", async () => {
    for (const id of [idA2, idB]) {
      const res = await query(`query ($id: ID!) { freshchat(accountId: "acc-a") { ticketingUser(id: $id) { id } } }`, { tenant: 'ta', variables: { id } });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a cursor minted for another account (BAD_USER_INPUT)', async () => {
    const res = await query(AGENTS, { tenant: 'ta', variables: { account: 'acc-a2', after: cursorA } });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.data!.freshchat!.ticketingUsers).toBeNull();
  });

  it("resolves each _entities id against its own account, and another tenant's as null", async () => {
    const res = await query(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatTicketingUser { id name } } }`,
      { tenant: 'ta', variables: { r: [idA, idA2, idB].map((id) => ({ __typename: 'FreshchatTicketingUser', id })) } },
    );
    expect(res.data!._entities).toEqual([
      { id: idA, name: namesIn(sandboxA, 1)[0] },
      { id: idA2, name: namesIn(sandboxB, 1)[0] },
      null,
    ]);
  });

  it("gives the other tenant nothing of the first tenant's ids", async () => {
    const res = await query(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatTicketingUser { id } } }`,
      { tenant: 'tb', variables: { r: [idA, idA2].map((id) => ({ __typename: 'FreshchatTicketingUser', id })) } },
    );
    expect(res.data!._entities).toEqual([null, null]);
  });
});

describe('callers', () => {
  it('refuses a request without a token (401 UNAUTHENTICATED)', async () => {
    const res = await query(AGENTS, { variables: { account: 'acc-a' } });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await new SignJWT({ tenant: 'ta' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(40)));
    expect((await query(AGENTS, { token: forged, variables: { account: 'acc-a' } })).status).toBe(401);
  });

  it('serves _service { sdl } without a token, for composition tools', async () => {
    const res = await query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(res.status).toBe(200);
    expect(res.data!._service.sdl).toContain('FreshchatTicketingUser');
  });

  it('gives a token without the tenant claim no account', async () => {
    expect((await query(AGENTS, { tenant: null, variables: { account: 'acc-a' } })).errors?.[0]?.extensions?.code).toBe('ACCOUNT_NOT_FOUND');
  });
});

describe('state keyed by account', () => {
  it('interleaves concurrent requests of both tenants without mixing their data or tokens', async () => {
    const callsBefore = [sandboxA.calls.length, sandboxB.calls.length];
    const plan = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? (['ta', 'acc-a', sandboxA] as const) : (['tb', 'acc-b', sandboxB] as const)));
    const results = await Promise.all(plan.map(([tenant, account]) => query(AGENTS, { tenant, variables: { account } })));
    results.forEach((res, i) => {
      const [, account, sandbox] = plan[i]!;
      expect(res.errors, account).toBeUndefined();
      expect(res.data!.freshchat!.accountId).toBe(account);
      expect(res.data!.freshchat!.ticketingUsers!.nodes.map((n) => n.name)).toEqual(namesIn(sandbox));
    });
    // Each request went to its own account's Freshchat, and every call there was accepted.
    for (const [sandbox, before] of [[sandboxA, callsBefore[0]!], [sandboxB, callsBefore[1]!]] as const) {
      const calls = sandbox.calls.slice(before);
      expect(calls.length).toBeGreaterThanOrEqual(12);
      expect(calls.every((call) => call.status === 200)).toBe(true);
    }
  });

  it("keeps one account's cached catalogs from another's (groups of A are not A2's)", async () => {
    const GROUPS = `query ($account: ID) { freshchat(accountId: $account) { groups(first: 3) { nodes { name } } } }`;
    const a = await query(GROUPS, { tenant: 'ta', variables: { account: 'acc-a' } });
    const a2 = await query(GROUPS, { tenant: 'ta', variables: { account: 'acc-a2' } });
    const names = (res: Response<Data>) => res.data!.freshchat!.groups!.nodes.map((g) => g.name);
    expect(names(a)).toEqual([...sandboxA.dataset.groups].slice(0, 3).map((g) => g.name));
    expect(names(a2)).toEqual([...sandboxB.dataset.groups].slice(0, 3).map((g) => g.name));
  });

  it('marks an account invalid_credentials when Freshchat answers its token with 401, visible to the admin', async () => {
    const res = await query(AGENTS, { tenant: 'ta', variables: { account: 'acc-revoked' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await expect.poll(async () => (await accounts.registry.store.get('acc-revoked'))?.status).toBe('invalid_credentials');
    expect((await accounts.registry.store.get('acc-a'))?.status).toBe('active');
    // Counted for anyone who can reach /ready, never named (README "Running in production").
    const ready = await (await fetch(url.replace('/graphql', '/ready'))).text();
    expect(JSON.parse(ready)).toMatchObject({ linkedAccounts: { invalidCredentials: 1 } });
    expect(ready).not.toContain('acc-revoked');
  });
});
