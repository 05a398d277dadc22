import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkOperation } from '../../src/hardening/operation-walk.js';
import { connectionScope, encodeCursor } from '../../src/relay/cursor.js';
import { toGlobalId } from '../../src/relay/ids.js';
import { createSchema } from '../../src/schema.js';
import { recordChanges, type NewChange } from '../../src/sync/change-log.js';
import { createPglite, type TestDatabase } from '../accounts/databases.js';
import { ACCOUNT_ID, startSyncHarness, type ChangesPage, type GraphQLAnswer, type SyncHarness } from './harness.js';

const SECRET = 'jwt-secret-0123456789-0123456789-0123456789';
let database: TestDatabase;
let h: SyncHarness;
let agentIds: string[];

const change = (i: number, objectType = 'FreshchatTicketingUser'): NewChange => ({
  accountId: ACCOUNT_ID,
  kind: 'UPDATED',
  objectType,
  objectId: toGlobalId({ provider: 'freshchat', typename: objectType, accountId: ACCOUNT_ID, remoteId: agentIds[i % agentIds.length]! }),
  changedFields: ['availability'],
  occurredAt: null,
  source: 'POLL',
});

const PAGE = `query($first: Int, $after: String, $types: [String!]) { freshchat { changes(first: $first, after: $after, types: $types) {
  edges { cursor node { id kind objectType objectId changedFields occurredAt recordedAt source } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } } }`;
type Page = GraphQLAnswer<{ freshchat: { changes: ChangesPage | null } }>;
const page = (variables: Record<string, unknown>, headers?: Record<string, string>) => h.query<Page['data']>(PAGE, variables, headers) as Promise<Page>;

beforeAll(async () => {
  database = await createPglite();
  h = await startSyncHarness({ database, webhooks: false });
  agentIds = h.sandbox.dataset.agents.slice(0, 10).map((a) => a.id);
  await recordChanges(h.subgraph.sync.db, Array.from({ length: 120 }, (_, i) => change(i, i % 4 === 3 ? 'FreshchatGroup' : 'FreshchatTicketingUser')));
}, 60_000);
let closed = false;
afterAll(async () => {
  if (!closed) await h?.close();
  await database?.drop();
});

const token = (tenant: string) =>
  new SignJWT({ tenant }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
const auth = {};

describe('freshchat { changes }', () => {
  it('pages forward, oldest first, 50 by default, with exact page info and a total', async () => {
    const first = (await page({}, auth)).data!.freshchat.changes!;
    expect(first.edges).toHaveLength(50);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: first.edges[0]!.cursor, endCursor: first.edges[49]!.cursor });
    expect(first.totalCount).toBe(120);
    const rest = (await page({ first: 100, after: first.pageInfo.endCursor }, auth)).data!.freshchat.changes!;
    expect(rest.edges).toHaveLength(70);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const ids = [...first.edges, ...rest.edges].map((edge) => edge.node.id);
    expect(new Set(ids).size).toBe(120);
    const times = [...first.edges, ...rest.edges].map((edge) => edge.node.recordedAt);
    expect([...times].sort()).toEqual(times);
  });

  it('keeps only the concrete types asked for, a cursor working with any of them', async () => {
    const groups = (await page({ first: 100, types: ['FreshchatGroup'] }, auth)).data!.freshchat.changes!;
    expect(groups.edges).toHaveLength(30);
    expect(groups.totalCount).toBe(30);
    expect(new Set(groups.edges.map((edge) => edge.node.objectType))).toEqual(new Set(['FreshchatGroup']));
    const after = groups.edges[9]!.cursor;
    const agents = (await page({ first: 100, after, types: ['FreshchatTicketingUser'] }, auth)).data!.freshchat.changes!;
    expect(agents.edges.length).toBe(90 - 30 + 0); // the agents recorded after the 10th group change (the 40th change)
  });

  it('answers an empty page with null cursors at the end of the log', async () => {
    const all = (await page({ first: 100, types: ['FreshchatRole'] }, auth)).data!.freshchat.changes!;
    expect(all).toMatchObject({ edges: [], pageInfo: { hasNextPage: false, startCursor: null, endCursor: null }, totalCount: 0 });
  });

  it.each([
    ['`first` over 100', { first: 101 }],
    ['a negative `first`', { first: -1 }],
    ['a cursor that is not one', { after: 'bm90LWEtY3Vyc29y' }],
    ['a cursor of another account', { after: encodeCursor(connectionScope('globex', 'changes'), 5) }],
    ['a cursor of another connection', { after: encodeCursor(connectionScope(ACCOUNT_ID, 'users'), 5) }],
  ])('refuses %s with BAD_USER_INPUT', async (_case, variables) => {
    const answer = await page(variables, auth);
    // Page sizes are checked before execution for every connection; cursors when `changes` runs.
    expect(answer.data?.freshchat?.changes ?? null).toBeNull();
    expect(answer.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('refuses a cursor whose change is past the retention with reason CURSOR_EXPIRED', async () => {
    const first = (await page({ first: 1 }, auth)).data!.freshchat.changes!;
    const seq = (await h.subgraph.sync.db.query<{ seq: string }>('select min(seq)::text as seq from changes'))[0]!.seq;
    await h.subgraph.sync.db.query(`update changes set recorded_at = now() - interval '31 days' where seq = $1`, [seq]);
    const answer = await page({ after: first.pageInfo.endCursor }, auth);
    expect(answer.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'CURSOR_EXPIRED' } });
    await h.subgraph.sync.db.query(`update changes set recorded_at = now() where seq = $1`, [seq]);
  });
});

describe('changes under caller authentication', () => {
  it("are another tenant's account's as an unknown one's: ACCOUNT_NOT_FOUND", async () => {
    const authed = await startSyncHarness({ sandbox: h.sandbox, webhooks: false, env: { AUTH_JWT_SECRET: SECRET } });
    try {
      const linked = await authed.admin('POST', '/admin/accounts', { name: 'Initech', apiUrl: h.sandbox.baseUrl, apiToken: h.sandbox.token, tenant: 'initech' });
      const accountId = (linked.body.account as { id: string }).id;
      const objectId = toGlobalId({ provider: 'freshchat', typename: 'FreshchatTicketingUser', accountId, remoteId: agentIds[0]! });
      await recordChanges(authed.subgraph.sync.db, [{ ...change(0), accountId, objectId }]);
      const read = async (tenant: string) =>
        authed.query<{ freshchat: { changes: { totalCount: number } } | null }>(`query($a: ID) { freshchat(accountId: $a) { changes { totalCount } } }`, { a: accountId }, {
          authorization: `Bearer ${await token(tenant)}`,
        });
      expect((await read('initech')).data!.freshchat!.changes.totalCount).toBe(1);
      const other = await read('umbrella');
      expect(other.data!.freshchat).toBeNull();
      expect(other.errors![0]!.extensions).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    } finally {
      await authed.close();
    }
  });
});

describe('cursors across restarts', () => {
  it('stay valid for a new process on the same registry', async () => {
    const first = (await page({ first: 60 }, auth)).data!.freshchat.changes!;
    const next = (await page({ first: 61 }, auth)).data!.freshchat.changes!.edges[60]!.node.id;
    await h.close(); // one process at a time on a PGlite directory
    closed = true;
    const restarted = await startSyncHarness({ database, webhooks: false });
    try {
      const answer = await restarted.query<Page['data']>(PAGE, { first: 100, after: first.pageInfo.endCursor });
      expect(answer.data!.freshchat.changes!.edges.map((edge) => edge.node.id)[0]).toBe(next);
      expect(answer.data!.freshchat.changes!.edges).toHaveLength(60);
    } finally {
      await restarted.close();
    }
  });
});

describe('the upstream-call estimate of a changes query', () => {
  const schema = createSchema();
  const estimate = (query: string) =>
    walkOperation({
      schema,
      operation: parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!,
      fragments: {},
      variables: {},
      pageSize: 50,
    }).upstreamCalls;

  it('counts nothing for the log itself, and a read per change for `object`', () => {
    expect(estimate('{ freshchat { changes(first: 100) { nodes { id objectId } } } }')).toBe(0);
    expect(estimate('{ freshchat { changes(first: 30) { nodes { object { id } } } } }')).toBe(30);
    expect(estimate('{ freshchat { changes { edges { node { object { id } } } } } }')).toBe(50);
  });
});
