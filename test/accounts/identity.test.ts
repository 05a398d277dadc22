import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bootstrap, type Subgraph } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { createMemoryIdempotencyStore, type IdempotencyStore } from '../../src/idempotency/store.js';
import { createLogger } from '../../src/logger.js';
import { listen } from '../../src/process/listen.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { READ_SCOPES } from '../../src/sandbox/routes.js';
import { WRITE_SCOPES } from '../../src/sandbox/writes.js';
import { CREATE_USER, type UserPayload } from '../writes/operations.js';
import { ADMIN_TOKEN, allowing } from './app.js';
import { createPglite, type TestDatabase } from './databases.js';

/**
 * One account id, several Freshchat accounts over time: re-pointed at another URL, or unlinked and
 * linked again for another tenant. Nothing kept about the first (cached pages, catalogs, idempotency
 * keys, the resolved account) may answer for the second. Through the same bootstrap as `npm start`,
 * with every cross-request cache on and accounts kept resolved far longer than the test runs, so
 * that what changes is seen because it was dropped, not because it expired.
 */
const SECRET = 'identity-test-hs256-secret-0123456789';
const TOKEN_A = 'token-of-sandbox-a-0123456789';
const TOKEN_A2 = 'another-token-of-sandbox-a-0123456789';
const TOKEN_A_ACCOUNT_ONLY = 'token-of-sandbox-a-account-read-only';
const TOKEN_B = 'token-of-sandbox-b-0123456789';

let sandboxA: Sandbox;
let sandboxB: Sandbox;

beforeAll(async () => {
  const every = [...READ_SCOPES, ...WRITE_SCOPES];
  sandboxA = await startSandbox({ seed: 1, token: TOKEN_A, tokens: { [TOKEN_A2]: every, [TOKEN_A_ACCOUNT_ONLY]: ['account:read'] } });
  sandboxB = await startSandbox({ seed: 2, token: TOKEN_B });
});

afterAll(async () => {
  await sandboxA?.close();
  await sandboxB?.close();
});

interface Answer<T> {
  data?: T;
  errors?: { extensions?: { code?: string } }[];
}

interface Server {
  subgraph: Subgraph;
  query<T>(text: string, tenant: string, variables?: Record<string, unknown>): Promise<Answer<T>>;
  admin(method: string, path: string, body?: unknown): Promise<number>;
  close(): Promise<void>;
}

async function startServer(idempotencyStore?: IdempotencyStore): Promise<Server> {
  const database: TestDatabase = await createPglite();
  const config = loadConfig({
    FRESHCHAT_API_URL: sandboxA.baseUrl,
    FRESHCHAT_API_TOKEN: TOKEN_A,
    FRESHCHAT_ACCOUNT_ID: 'operator',
    DATA_DIR: database.dataDir,
    CREDENTIALS_KEY: Buffer.alloc(32, 5).toString('base64'),
    ADMIN_TOKEN,
    AUTH_JWT_SECRET: SECRET,
    FRESHCHAT_ALLOWED_HOSTS: allowing(sandboxA.baseUrl, sandboxB.baseUrl),
    AGENT_PAGE_CACHE_TTL_MS: '300000',
    CATALOG_CACHE_TTL_MS: '600000',
    ACCOUNT_CACHE_TTL_MS: '300000',
    FRESHCHAT_RATE_LIMIT_PER_MINUTE: '60000',
    LOG_LEVEL: 'silent',
  });
  const subgraph = await bootstrap(config, createLogger('silent'), { idempotencyStore });
  const origin = `http://127.0.0.1:${await listen(subgraph.server.httpServer, 0, '127.0.0.1', 'PORT')}`;
  return {
    subgraph,
    async query<T>(text: string, tenant: string, variables?: Record<string, unknown>) {
      const jwt = await new SignJWT({ tenant }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
      const res = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
        body: JSON.stringify({ query: text, variables }),
      });
      return (await res.json()) as Answer<T>;
    },
    async admin(method, path, body) {
      const res = await fetch(origin + path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await res.arrayBuffer();
      return res.status;
    },
    async close() {
      await subgraph.stop();
      await database.drop();
    },
  };
}

const AGENTS = `query ($account: ID) { freshchat(accountId: $account) { ticketingUsers(first: 3) { nodes { name } } } }`;
const USERS = `query ($account: ID) { freshchat(accountId: $account) { users(first: 1) { totalCount } } }`;
const GROUPS = `query ($account: ID) { freshchat(accountId: $account) { groups(first: 3) { nodes { name } } } }`;
type Agents = { freshchat: { ticketingUsers: { nodes: { name: string }[] } | null } | null };

const agentNames = (sandbox: Sandbox) => sandbox.dataset.agents.slice(0, 3).map((agent) => `${agent.first_name} ${agent.last_name}`.trim());
const upstreamCalls = (sandbox: Sandbox, method: string, path: string) => sandbox.calls.filter((c) => c.method === method && c.path === path).length;

describe('an account re-pointed at another Freshchat account', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer();
  }, 120_000);
  afterAll(() => server?.close());

  it("answers the new account's data on the very next query, with the agent page cache on", async () => {
    expect(agentNames(sandboxA)).not.toEqual(agentNames(sandboxB)); // two different Freshchat accounts
    expect(await server.admin('POST', '/admin/accounts', { id: 'acc-r', name: 'R', apiUrl: sandboxA.baseUrl, apiToken: TOKEN_A, tenant: 'ta' })).toBe(201);
    const before = await server.query<Agents>(AGENTS, 'ta', { account: 'acc-r' });
    expect(before.data?.freshchat?.ticketingUsers?.nodes.map((n) => n.name)).toEqual(agentNames(sandboxA));
    expect(await server.admin('PATCH', '/admin/accounts/acc-r', { apiUrl: sandboxB.baseUrl, apiToken: TOKEN_B })).toBe(200);
    const after = await server.query<Agents>(AGENTS, 'ta', { account: 'acc-r' });
    expect(after.data?.freshchat?.ticketingUsers?.nodes.map((n) => n.name)).toEqual(agentNames(sandboxB));
  });

  it('sends a rotated token from the very next query', async () => {
    expect(await server.admin('POST', '/admin/accounts', { id: 'acc-t', name: 'T', apiUrl: sandboxA.baseUrl, apiToken: TOKEN_A, tenant: 'ta' })).toBe(201);
    expect((await server.query(USERS, 'ta', { account: 'acc-t' })).errors).toBeUndefined();
    // A token that may read the account's configuration (so linking accepts it), but not its contacts.
    expect(await server.admin('PATCH', '/admin/accounts/acc-t', { apiToken: TOKEN_A_ACCOUNT_ONLY })).toBe(200);
    expect((await server.query(USERS, 'ta', { account: 'acc-t' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('reads nothing from the registry and decrypts nothing for a warm account', async () => {
    expect(await server.admin('POST', '/admin/accounts', { id: 'acc-w', name: 'W', apiUrl: sandboxB.baseUrl, apiToken: TOKEN_B, tenant: 'tw' })).toBe(201);
    const { registry } = server.subgraph;
    expect((await server.query<Agents>(AGENTS, 'tw', { account: 'acc-w' })).errors).toBeUndefined();
    const reads = vi.spyOn(registry.db, 'query');
    const decrypts = vi.spyOn(registry.store, 'getWithToken');
    try {
      for (let i = 0; i < 3; i++) expect((await server.query<Agents>(AGENTS, 'tw', { account: 'acc-w' })).errors).toBeUndefined();
      expect(reads).not.toHaveBeenCalled();
      expect(decrypts).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
      decrypts.mockRestore();
    }
  });

  it('answers ACCOUNT_NOT_FOUND from the very next query once the account is unlinked', async () => {
    expect(await server.admin('POST', '/admin/accounts', { id: 'acc-gone', name: 'G', apiUrl: sandboxB.baseUrl, apiToken: TOKEN_B, tenant: 'tw' })).toBe(201);
    expect((await server.query<Agents>(AGENTS, 'tw', { account: 'acc-gone' })).errors).toBeUndefined();
    expect(await server.admin('DELETE', '/admin/accounts/acc-gone')).toBe(204);
    expect((await server.query<Agents>(AGENTS, 'tw', { account: 'acc-gone' })).errors?.[0]?.extensions?.code).toBe('ACCOUNT_NOT_FOUND');
  });
});

describe.each([
  { store: 'the registry database', idempotencyStore: (): IdempotencyStore | undefined => undefined },
  { store: 'memory', idempotencyStore: (): IdempotencyStore | undefined => createMemoryIdempotencyStore() },
])('an id unlinked and linked again for another tenant (idempotency keys in $store)', ({ idempotencyStore }) => {
  let server: Server;
  type Created = { freshchatCreateUser: UserPayload | null };
  const create = (tenant: string, input: Record<string, unknown>, key: string) =>
    server.query<Created>(CREATE_USER, tenant, { accountId: 'acctF', input, key });
  let first: { ada: Created; grace: Created };

  beforeAll(async () => {
    server = await startServer(idempotencyStore());
    const link = (tenant: string, apiToken: string) =>
      server.admin('POST', '/admin/accounts', { id: 'acctF', name: 'F', apiUrl: sandboxA.baseUrl, apiToken, tenant });
    expect(await link('ta', TOKEN_A)).toBe(201);
    first = {
      ada: (await create('ta', { firstName: 'Ada', email: 'ada@ta.example' }, 'k-ada')).data!,
      grace: (await create('ta', { firstName: 'Grace', email: 'grace@ta.example' }, 'k-grace')).data!,
    };
    expect((await server.query(GROUPS, 'ta', { account: 'acctF' })).errors).toBeUndefined(); // the catalog is cached now
    expect(await server.admin('DELETE', '/admin/accounts/acctF')).toBe(204);
    // The same Freshchat URL, a new token, another tenant.
    expect(await link('tb', TOKEN_A2)).toBe(201);
  }, 120_000);
  afterAll(() => server?.close());

  it("writes anew for the old account's key and input, instead of answering its stored result", async () => {
    const posts = upstreamCalls(sandboxA, 'POST', '/v2/users');
    const again = (await create('tb', { firstName: 'Ada', email: 'ada@ta.example' }, 'k-ada')).data!;
    expect(upstreamCalls(sandboxA, 'POST', '/v2/users')).toBe(posts + 1);
    expect(again.freshchatCreateUser?.userErrors).toEqual([]);
    expect(again.freshchatCreateUser?.user?.id).not.toBe(first.ada.freshchatCreateUser?.user?.id);
  });

  it("does not call the old account's key reused, which would reveal it", async () => {
    const other = (await create('tb', { firstName: 'Hopper', email: 'hopper@tb.example' }, 'k-grace')).data!;
    expect(other.freshchatCreateUser?.userErrors).toEqual([]);
    expect(other.freshchatCreateUser?.user?.name).toBe('Hopper');
  });

  it("walks the groups afresh instead of serving the old account's cached catalog", async () => {
    const walks = upstreamCalls(sandboxA, 'GET', '/v2/groups');
    expect((await server.query(GROUPS, 'tb', { account: 'acctF' })).errors).toBeUndefined();
    expect(upstreamCalls(sandboxA, 'GET', '/v2/groups')).toBeGreaterThan(walks);
  });
});
