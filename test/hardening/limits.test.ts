import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codesOf, startHardened, type HardenedHarness } from './harness.js';

// Issue 6 / docs/hardening.md: every operation limit is typed, answers 4xx and never reaches Freshchat.
const repeat = (n: number, item: (i: number) => string) => Array.from({ length: n }, (_, i) => item(i)).join(' ');

/** `depth` levels of fields: freshchat → groups → edges → node → members → edges → node → role → … */
function nested(depth: number): string {
  const path = ['freshchat', 'groups', 'edges', 'node', 'members', 'edges', 'node', 'role', 'members', 'edges', 'node', 'groups', 'edges', 'node'];
  const fields = path.slice(0, depth - 1);
  return `{ ${fields.join(' { ')} { __typename ${leaf(fields.at(-1))} ${'}'.repeat(fields.length)} }`;
}
const leaf = (parent: string | undefined) => (parent === 'edges' ? 'cursor' : parent === 'node' || parent === 'role' ? 'name' : 'totalCount');

describe('operation limits at their defaults', () => {
  let h: HardenedHarness;
  beforeAll(async () => {
    h = await startHardened({ logLevel: 'silent' });
  });
  afterAll(() => h.close());
  beforeEach(() => h.resetCalls());

  async function expectRejected(query: string, expected: Record<string, unknown>, variables?: unknown) {
    const res = await h.query(query, variables);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions).toMatchObject(expected);
    expect(h.upstreamCalls()).toBe(0);
    return res;
  }

  it('accepts an operation 12 fields deep (groups → members → role → members → name)', async () => {
    const res = await h.query(nested(12));
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
  });

  it('rejects an operation 13 fields deep with GRAPHQL_VALIDATION_FAILED and no upstream call', async () => {
    await expectRejected(nested(13), { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth', max: 12 });
  });

  it('rejects 31 aliases with GRAPHQL_VALIDATION_FAILED', async () => {
    await expectRejected(`{ freshchat { ${repeat(31, (i) => `a${i}: accountId`)} } }`, { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases', max: 30 });
  });

  it('rejects 51 directives with GRAPHQL_VALIDATION_FAILED', async () => {
    await expectRejected(`{ freshchat { ${repeat(51, () => 'accountId @include(if: true)')} } }`, { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'directives', max: 50 });
  });

  it('rejects a document of more than 5,000 tokens with GRAPHQL_PARSE_FAILED', async () => {
    const res = await expectRejected(`{ freshchat { ${repeat(5_000, () => 'accountId')} } }`, { code: 'GRAPHQL_PARSE_FAILED' });
    expect(res.errors![0]!.message).toMatch(/more tha[nt] 5000 tokens/);
  });

  it('rejects a fragment bomb (2^29 selections in 30 fragments) quickly, with GRAPHQL_VALIDATION_FAILED', async () => {
    const spread = (i: number) => (i === 29 ? 'accountId' : `...F${i + 1} ...F${i + 1}`);
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on FreshchatQuery { ${spread(i)} }`);
    const started = performance.now();
    await expectRejected(`{ freshchat { ...F0 } } ${fragments.join(' ')}`, { code: 'GRAPHQL_VALIDATION_FAILED', validationErrorCode: 'MAX_RECURSIVE_SELECTIONS_EXCEEDED' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it.each([
    ['a nested literal groups(first: 500)', `{ freshchat { ticketingUsers(first: 5) { nodes { groups(first: 500) { totalCount } } } } }`, undefined, 'first', 500],
    ['a nested variable members(last: $n) with n = 101', `query($n: Int) { freshchat { groups { nodes { members(last: $n) { totalCount } } } } }`, { n: 101 }, 'last', 101],
    ['a negative first on a root connection', `{ freshchat { users(first: -1) { totalCount } } }`, undefined, 'first', -1],
  ])('rejects %s with BAD_USER_INPUT before execution', async (_name, query, variables, argument, value) => {
    const res = await expectRejected(query, { code: 'BAD_USER_INPUT', limit: 'pageSize', argument, min: 0, max: 100 }, variables);
    expect(res.errors![0]!.message).toBe(`\`${argument}\` must be an integer from 0 to 100; got ${value}.`);
  });

  it('rejects a document it already accepted once its variables go over a limit (the budget is kept per variables)', async () => {
    const query = `query($n: Int) { freshchat { users(first: $n) { totalCount } } }`;
    expect((await h.query(query, { n: 5 })).status).toBe(200);
    h.resetCalls();
    await expectRejected(query, { code: 'BAD_USER_INPUT', limit: 'pageSize', argument: 'first' }, { n: 101 });
  });

  it('rejects an operation whose @listSize cost is over 50,000 (100 × 100 × 100 groups), with its cost', async () => {
    const query = `query($n: Int) { freshchat { groups(first: 100) { nodes { members(first: $n) { nodes { groups(first: 100) { nodes { name } } } } } } } }`;
    await expectRejected(query, { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', max: 50_000, cost: 1_020_202 }, { n: 100 });
  });

  it('accepts two nested full pages (100 agents × 100 groups) within the cost limit', async () => {
    const res = await h.query(`{ freshchat { ticketingUsers(first: 100) { nodes { name groups(first: 100) { nodes { name } } } } } }`);
    expect(res.errors).toBeUndefined();
  });

  it('accepts 500 representations in one _entities call and rejects 501 before execution', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`;
    const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'FreshchatTicketingUser', id: `unknown-${i}` }));
    const ok = await h.query<{ _entities: unknown[] }>(query, { r: representations(500) });
    expect(ok.data!._entities).toHaveLength(500);
    await expectRejected(query, { code: 'BAD_USER_INPUT', limit: 'representations', argument: 'representations', max: 500 }, { r: representations(501) });
  });

  it.each([
    ['an unknown __typename', { __typename: 'Nope', id: 'x' }],
    ['a type that is not an entity', { __typename: 'FreshchatQuery', id: 'x' }],
    ['no id', { __typename: 'FreshchatGroup' }],
    ['a numeric id', { __typename: 'FreshchatGroup', id: 7 }],
  ])('rejects a representation with %s as BAD_USER_INPUT before execution, not as an internal error', async (_name, representation) => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`;
    const ok = { __typename: 'FreshchatGroup', id: 'g' };
    await expectRejected(query, { code: 'BAD_USER_INPUT', argument: 'representations', index: 1 }, { r: [ok, representation] });
  });

  it('answers a body over 2 MB with 413 and a typed JSON error, before GraphQL', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2_000_001) } });
    const res = await h.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({
      errors: [{ message: 'Request body exceeds the limit of 2000000 bytes.', extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 'bodySize', max: 2_000_000 } }],
    });
    expect(h.upstreamCalls()).toBe(0);
  });

  it('answers malformed JSON with 400 and a typed JSON error, not an HTML page with a stack', async () => {
    const res = await h.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{ "query": "{ __typ' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
  });
});

describe('operation limits from settings', () => {
  let h: HardenedHarness;
  beforeAll(async () => {
    h = await startHardened({
      logLevel: 'silent',
      env: {
        MAX_QUERY_DEPTH: '4',
        MAX_QUERY_ALIASES: '2',
        MAX_QUERY_DIRECTIVES: '2',
        MAX_QUERY_TOKENS: '100',
        MAX_QUERY_COST: '60',
        MAX_ENTITY_REPRESENTATIONS: '3',
        MAX_REQUEST_BYTES: '2048',
      },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => h.resetCalls());

  const entities = (n: number) => ({ r: Array.from({ length: n }, (_, i) => ({ __typename: 'FreshchatGroup', id: `g${i}` })) });
  it.each<[string, string, unknown, Record<string, unknown>]>([
    ['MAX_QUERY_DEPTH', nested(5), undefined, { limit: 'depth', max: 4 }],
    ['MAX_QUERY_ALIASES', `{ freshchat { a: accountId b: accountId c: accountId } }`, undefined, { limit: 'aliases', max: 2 }],
    ['MAX_QUERY_DIRECTIVES', `{ freshchat { ${repeat(3, () => 'accountId @skip(if: false)')} } }`, undefined, { limit: 'directives', max: 2 }],
    ['MAX_QUERY_TOKENS', `{ freshchat { ${repeat(100, () => 'accountId')} } }`, undefined, { code: 'GRAPHQL_PARSE_FAILED' }],
    // freshchat 1 + groups 1 + 60 nodes × 1
    ['MAX_QUERY_COST', `{ freshchat { groups(first: 60) { nodes { name } } } }`, undefined, { limit: 'cost', max: 60, cost: 62 }],
    ['MAX_ENTITY_REPRESENTATIONS', `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, entities(4), { limit: 'representations', max: 3 }],
  ])('applies %s', async (_setting, query, variables, expected) => {
    const res = await h.query(query, variables);
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions).toMatchObject(expected);
    expect(codesOf(res)).toHaveLength(1);
    expect(h.upstreamCalls()).toBe(0);
  });

  it('applies MAX_REQUEST_BYTES', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2_048) } });
    const res = await h.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect((JSON.parse(res.text) as { errors: { extensions?: unknown }[] }).errors[0]?.extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limit: 'bodySize', max: 2_048 });
  });

  it('keeps what is within the settings working', async () => {
    const res = await h.query(`{ freshchat { groups(first: 2) { nodes { name } } } }`);
    expect(res.errors).toBeUndefined();
  });
});
