import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/relay/ids.js';
import { createSchema } from '../../src/schema.js';
import { collectMaterial, hostileCursorArb, hostileIdArb, idsIn, mutatedArb, operationArb, type Material } from './fuzz-arbitraries.js';
import { assertProperty, fuzzSeed } from './fuzz-seed.js';
import { TOKENS, startHardened, type HardenedHarness } from './harness.js';

/**
 * Property tests against the real server (production settings, two accounts on two sandboxes):
 * whatever a client sends, the answer is never a 5xx or a stack trace, every error is typed, an
 * operation rejected before execution calls no upstream, and nothing of account `b` leaks through
 * `freshchat(accountId: "a")`. Time-boxed for CI; `npm run fuzz` runs longer (FUZZ_RUNS,
 * FUZZ_TIME_LIMIT_MS per property). The seed is pinned when CI is set, fresh otherwise, and every
 * failure names it: FUZZ_SEED replays it (fuzz-seed.ts).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 5_000);
const PARAMS: fc.Parameters<unknown> & { seed: number } = {
  numRuns: RUNS,
  interruptAfterTimeLimit: TIME_LIMIT_MS,
  seed: fuzzSeed(process.env),
};
const TEST_TIMEOUT_MS = TIME_LIMIT_MS + 15_000;

interface Body {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('fuzzing the GraphQL endpoint', () => {
  let h: HardenedHarness;
  let material: Material;
  const schema = createSchema();

  beforeAll(async () => {
    h = await startHardened({ env: { NODE_ENV: 'production', REQUEST_DEADLINE_MS: '5000' }, logLevel: 'info' });
    material = await collectMaterial(h);
  });
  afterAll(async () => {
    expect((await h.fetch('/health')).status).toBe(200);
    await h.close();
  });

  /**
   * Upstream calls of the last request, from its access log line. Not the sandbox's count: when one
   * field fails first, the response leaves while sibling fields' calls are still under way, and those
   * would land in the next request's count. The access log attributes each call to its request.
   */
  let lastCalls = 0;

  /** Sends one request and checks the invariants every answer keeps. */
  async function send(body: string): Promise<Body> {
    const logged = h.logs.length;
    const res = await h.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const access = h.logs.slice(logged).map((line) => JSON.parse(line) as { msg: string; upstreamCalls?: number }).find((l) => l.msg === 'graphql request');
    lastCalls = access?.upstreamCalls ?? 0;
    expect(res.status).toBeLessThan(500);
    const parsed = JSON.parse(res.text) as Body;
    expect(parsed.errors !== undefined || parsed.data !== undefined).toBe(true);
    for (const error of parsed.errors ?? []) {
      expect(typeof error.extensions?.code).toBe('string');
      // Typed means the client's fault or upstream's, named: an internal error is a bug of ours.
      expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
      expect(error.extensions).not.toHaveProperty('stacktrace');
      expect(error.message).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    }
    // No `data` at all: rejected before execution, so Freshchat must not have been called.
    if (!('data' in parsed)) expect(lastCalls).toBe(0);
    for (const token of Object.values(TOKENS)) expect(res.text).not.toContain(token);
    return parsed;
  }
  const operation = (query: string, variables?: unknown) => send(JSON.stringify({ query, variables }));

  it('answers random operations over the schema with typed errors only', async () => {
    await assertProperty(fc.asyncProperty(operationArb(schema, material, 6), async (query) => void (await operation(query))), PARAMS);
  }, TEST_TIMEOUT_MS);

  it('answers mutated operations with typed errors only', async () => {
    const seeds = [
      `{ freshchat { ticketingUsers(first: 3) { edges { cursor node { id name role { name } groups { nodes { name } } } } } } }`,
      `query Q($id: ID!) { freshchat(accountId: "a") { node(id: $id) { id ... on FreshchatGroup { members(first: 2) { totalCount } } } } }`,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatUser { name emails { address } } } }`,
      `{ freshchat { users(first: 2, filter: { createdAfter: "2020-01-01T00:00:00Z" }) { pageInfo { endCursor } } } } fragment F on FreshchatRole { name }`,
    ];
    await assertProperty(fc.asyncProperty(mutatedArb(seeds), async (query) => void (await operation(query, { id: material.ids.a[0], r: [] }))), PARAMS);
  }, TEST_TIMEOUT_MS);

  it('answers random variables with typed errors only', async () => {
    const queries = [
      `query($first: Int, $after: String, $filter: FreshchatTicketingUserFilter) { freshchat { ticketingUsers(first: $first, after: $after, filter: $filter) { totalCount nodes { id } } } }`,
      `query($last: Int, $before: String, $filter: FreshchatUserFilter) { freshchat { users(last: $last, before: $before, filter: $filter) { totalCount } } }`,
      `query($id: ID!, $ids: [ID!]!) { freshchat { user(id: $id) { id } nodes(ids: $ids) { id } } }`,
      `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on FreshchatGroup { name } } }`,
      `query($accountId: ID) { freshchat(accountId: $accountId) { accountId } }`,
    ];
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.integer({ min: -5, max: 200 }),
      hostileIdArb(material),
      hostileCursorArb(material),
      fc.array(hostileIdArb(material), { maxLength: 4 }),
      fc.array(
        fc.record(
          { __typename: fc.constantFrom('FreshchatGroup', 'FreshchatUser', 'FreshchatQuery', 'X'), id: fc.oneof(hostileIdArb(material), fc.jsonValue({ maxDepth: 1 })) },
          { requiredKeys: [] },
        ),
        { maxLength: 4 },
      ),
      fc.record({ email: fc.string(), createdAfter: fc.string(), groupId: hostileIdArb(material), isActive: fc.boolean(), availability: fc.string() }, { requiredKeys: [] }),
    );
    const names = fc.constantFrom('first', 'after', 'last', 'before', 'filter', 'id', 'ids', 'r', 'accountId', 'other');
    const variables = fc.oneof(fc.dictionary(names, value, { maxKeys: 4 }), fc.jsonValue({ maxDepth: 1 }));
    await assertProperty(fc.asyncProperty(fc.constantFrom(...queries), variables, async (q, v) => void (await operation(q, v))), PARAMS);
  }, TEST_TIMEOUT_MS);

  it('answers random request bodies with typed JSON errors', async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.record({ query: fc.jsonValue({ maxDepth: 1 }), variables: fc.jsonValue({ maxDepth: 1 }), operationName: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    await assertProperty(fc.asyncProperty(body, async (text) => void (await send(text))), PARAMS);
  }, TEST_TIMEOUT_MS);

  it('rejects every page size outside 0..100, nested or not, literal or variable, before any upstream call', async () => {
    const size = fc.oneof(fc.integer({ min: -3, max: 103 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
    await assertProperty(
      fc.asyncProperty(size, size, fc.boolean(), async (a, b, literal) => {
        // Role members come from one agent walk whatever the page sizes, so no in-range pair of
        // sizes reaches the upstream call ceiling, and only the page-size rule can refuse one.
        const query = literal
          ? `{ freshchat { roles(first: ${a}) { nodes { members(last: ${b}) { totalCount } } } } }`
          : `query($a: Int, $b: Int) { freshchat { roles(first: $a) { nodes { members(last: $b) { totalCount } } } } }`;
        const res = await operation(query, literal ? undefined : { a, b });
        const outOfRange = [a, b].some((n) => n < 0 || n > 100);
        expect(res.errors?.map((e) => e.extensions?.code) ?? []).toEqual(outOfRange ? ['BAD_USER_INPUT'] : []);
        if (outOfRange) expect(lastCalls).toBe(0);
      }),
      PARAMS,
    );
  }, TEST_TIMEOUT_MS);

  it('never returns account b’s objects for b’s, tampered or forged ids and cursors under freshchat(accountId: "a")', async () => {
    const templates: [string, 'id' | 'ids' | 'cursor'][] = [
      [`query($v: ID!) { freshchat(accountId: "a") { node(id: $v) { id __typename } } }`, 'id'],
      [`query($v: [ID!]!) { freshchat(accountId: "a") { nodes(ids: $v) { id } } }`, 'ids'],
      [`query($v: ID!) { freshchat(accountId: "a") { user(id: $v) { id } group(id: $v) { id members { nodes { id } } } } }`, 'id'],
      [`query($v: ID!) { freshchat(accountId: "a") { ticketingUser(id: $v) { id groups { nodes { id } } } role(id: $v) { id } } }`, 'id'],
      [`query($v: ID!) { freshchat(accountId: "a") { ticketingUsers(first: 3, filter: { groupId: $v }) { nodes { id } } } }`, 'id'],
      [`query($v: String) { freshchat(accountId: "a") { groups(first: 3, after: $v) { edges { cursor node { id } } } } }`, 'cursor'],
      [`query($v: String) { freshchat(accountId: "a") { ticketingUsers(last: 2, before: $v) { nodes { id } } } }`, 'cursor'],
      [`query($v: String) { freshchat(accountId: "a") { users(first: 2, after: $v) { nodes { id } } } }`, 'cursor'],
      [`query($v: String) { freshchat(accountId: "a") { roles(first: 1) { nodes { members(first: 2, after: $v) { nodes { id } } } } } }`, 'cursor'],
    ];
    const valueOf = { id: hostileIdArb(material), ids: fc.array(hostileIdArb(material), { minLength: 1, maxLength: 4 }), cursor: hostileCursorArb(material) };
    const input = fc.constantFrom(...templates).chain(([query, kind]) => valueOf[kind].map((v: unknown) => [query, v] as const));
    h.resetCalls();
    await assertProperty(
      fc.asyncProperty(input, async ([query, v]) => {
        const res = await operation(query, { v });
        expect(idsIn(res.data).filter((id) => fromGlobalId(id)?.accountId !== 'a')).toEqual([]);
        expect(h.upstreamCalls('b')).toBe(0);
      }),
      PARAMS,
    );
  }, TEST_TIMEOUT_MS);

  it.each(['users', 'ticketingUsers', 'groups', 'roles'])('rejects each of account b’s cursors on account a’s %s', async (connection) => {
    h.resetCalls();
    for (const cursor of material.cursors.b) {
      const res = await operation(`query($v: String) { freshchat(accountId: "a") { ${connection}(after: $v) { nodes { id } } } }`, { v: cursor });
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
    expect(h.upstreamCalls('b')).toBe(0);
  });

  it('answers nodes(ids) with null for each of account b’s ids under account a, without calling Freshchat', async () => {
    const res = await operation(`query($v: [ID!]!) { freshchat(accountId: "a") { nodes(ids: $v) { id } } }`, { v: material.ids.b });
    expect(res).toEqual({ data: { freshchat: { nodes: material.ids.b.map(() => null) } } });
    expect(lastCalls).toBe(0);
  });
});
