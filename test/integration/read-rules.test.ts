import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectionScope, encodeCursor } from '../../src/relay/cursor.js';
import { ACCOUNT_ID, globalId, startHarness, type Harness } from '../support/harness.js';

// docs/design.md#connections-over-freshchat-pages, docs/design.md#the-upstream-call-budget rules that refuse a request, or one field of it, before Freshchat is called.
// Upstream calls are counted at the sandbox.
const usersCursor = (offset: number) => encodeCursor(connectionScope(ACCOUNT_ID, 'users'), offset);
const groupsCursor = (offset: number) => encodeCursor(connectionScope(ACCOUNT_ID, 'groups'), offset);
const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.map((e) => e.extensions?.code);

describe('read rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.sandbox.resetCalls());

  describe('cursors', () => {
    it.each([
      ['a forged offset of 2^50', usersCursor(2 ** 50)],
      ['an offset one past MAX_CURSOR_OFFSET', usersCursor(1_000_001)],
      ['garbage', 'garbage'],
    ])('refuses %s as BAD_USER_INPUT without calling Freshchat', async (_name, after) => {
      const res = await h.query(`query($after: String) { freshchat { users(first: 5, after: $after) { totalCount } } }`, { after });
      expect(res.errors).toMatchObject([{ path: ['freshchat', 'users'], extensions: { code: 'BAD_USER_INPUT', argument: 'after' } }]);
      expect(h.upstreamCalls()).toBe(0);
    });

    it('refuses a forged cursor on a catalog before reading the catalog', async () => {
      const res = await h.query(`query($before: String) { freshchat { groups(last: 5, before: $before) { totalCount } } }`, { before: groupsCursor(2 ** 50) });
      expect(res.errors).toMatchObject([{ path: ['freshchat', 'groups'], extensions: { code: 'BAD_USER_INPUT', argument: 'before', max: 1_000_000 } }]);
      expect(h.upstreamCalls()).toBe(0);
    });

    it('answers an offset of exactly MAX_CURSOR_OFFSET, past the list, with an empty page and no deeper page asked', async () => {
      const res = await h.query<{ freshchat: { users: { totalCount: number; nodes: unknown[] } } }>(
        `query($after: String) { freshchat { users(first: 5, after: $after) { totalCount nodes { id } } } }`,
        { after: usersCursor(1_000_000) },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?.freshchat.users).toEqual({ totalCount: h.sandbox.dataset.users.length, nodes: [] });
      const pages = h.sandbox.calls.map((call) => Number(call.query.page) * Number(call.query.items_per_page));
      expect(Math.max(...pages)).toBeLessThanOrEqual(1_000_006);
      expect(h.upstreamCalls()).toBeLessThanOrEqual(3);
    });
  });

  describe('DateTime', () => {
    it('refuses 30 February in a variable as BAD_USER_INPUT without calling Freshchat', async () => {
      const res = await h.query(`query($t: DateTime) { freshchat { users(filter: { createdAfter: $t }) { totalCount } } }`, { t: '2024-02-30T00:00:00Z' });
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(h.upstreamCalls()).toBe(0);
    });

    it('refuses 30 February as a literal with a validation error, without calling Freshchat', async () => {
      const res = await h.query(`{ freshchat { users(filter: { createdAfter: "2024-02-30T00:00:00Z" }) { totalCount } } }`);
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(h.upstreamCalls()).toBe(0);
    });

    it('sends a valid instant to Freshchat normalised to UTC', async () => {
      const res = await h.query(`{ freshchat { users(first: 1, filter: { createdAfter: "2024-02-29T01:00:00+01:00" }) { totalCount } } }`);
      expect(res.errors).toBeUndefined();
      expect(h.sandbox.calls.map((call) => call.query.created_from)).toContain('2024-02-29T00:00:00.000Z');
    });
  });

  describe('filter strings', () => {
    it.each([
      ['a 100 KB email', 'FreshchatUserFilter', { email: `${'a'.repeat(100_000)}@example.com` }, 'users', 'filter.email', 254],
      ['an external id of 257 characters', 'FreshchatUserFilter', { externalId: 'x'.repeat(257) }, 'users', 'filter.externalId', 256],
      ['a group id longer than any global id', 'FreshchatTicketingUserFilter', { groupId: 'g'.repeat(1025) }, 'ticketingUsers', 'filter.groupId', 1024],
    ])('refuses %s as BAD_USER_INPUT naming the argument, without calling Freshchat', async (_name, type, filter, field, argument, max) => {
      const res = await h.query(`query($f: ${type}) { freshchat { ${field}(first: 1, filter: $f) { totalCount } } }`, { f: filter });
      expect(res.errors).toMatchObject([{ path: ['freshchat', field], extensions: { code: 'BAD_USER_INPUT', argument, max } }]);
      expect(h.upstreamCalls()).toBe(0);
    });

    it('accepts an email of 254 characters', async () => {
      const res = await h.query(`query($f: FreshchatUserFilter) { freshchat { users(filter: $f) { totalCount } } }`, { f: { email: `${'a'.repeat(242)}@example.com` } });
      expect(res.errors).toBeUndefined();
      expect(h.upstreamCalls()).toBeGreaterThan(0);
    });
  });

  describe('nodes(ids:)', () => {
    const query = `query($ids: [ID!]!) { freshchat { nodes(ids: $ids) { id } } }`;
    const unknown = (n: number) => Array.from({ length: n }, (_, i) => globalId('FreshchatGroup', `missing-${i}`));

    it('refuses 101 ids as BAD_USER_INPUT before execution', async () => {
      const res = await h.query(query, { ids: unknown(101) });
      expect(res.status).toBe(400);
      expect(res.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', limit: 'ids', argument: 'ids', max: 100 } }]);
      expect(h.upstreamCalls()).toBe(0);
    });

    it('refuses 16000 ids as BAD_USER_INPUT before execution, at the variables bound that comes first', async () => {
      const res = await h.query(query, { ids: unknown(16_000) });
      expect(res.status).toBe(400);
      expect(res.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', limit: 'variables' } }]);
      expect(h.upstreamCalls()).toBe(0);
    });

    it('keeps Relay’s shape for 100 ids: null for each unknown one, in order', async () => {
      const known = globalId('FreshchatGroup', h.sandbox.dataset.groups[0]!.id);
      const ids = [known, ...unknown(98), 'not-an-id'];
      const res = await h.query<{ freshchat: { nodes: ({ id: string } | null)[] } }>(query, { ids });
      expect(res.errors).toBeUndefined();
      expect(res.data?.freshchat.nodes).toEqual([{ id: known }, ...Array<null>(99).fill(null)]);
    });
  });
});

describe('MAX_UPSTREAM_CALLS_PER_REQUEST', () => {
  // The example: 30 aliased pages of 100 contacts after a cursor, and 45 contact ids.
  const pages = Array.from({ length: 30 }, (_, i) => `p${i}: users(first: 100, after: "${usersCursor(24 + 61 * i)}") { totalCount }`).join(' ');
  const example = `query($ids: [ID!]!) { freshchat { ${pages} nodes(ids: $ids) { id } } }`;
  const contactIds = (h: Harness) => h.sandbox.dataset.users.slice(1_000, 1_045).map((user) => globalId('FreshchatUser', user.id));

  it('refuses the operation before execution when its estimate is over the ceiling', async () => {
    const h = await startHarness();
    try {
      const res = await h.query(example, { ids: contactIds(h) });
      expect(res.status).toBe(400);
      expect(res.errors).toMatchObject([{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'upstreamCalls', max: 100, upstreamCalls: 30 * 3 + 45 } }]);
      expect(h.upstreamCalls()).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('would otherwise let that operation make more than 100 calls', async () => {
    const h = await startHarness({ env: { MAX_UPSTREAM_CALLS_PER_REQUEST: '1000' } });
    try {
      const res = await h.query(example, { ids: contactIds(h) });
      expect(res.errors).toBeUndefined();
      expect(h.upstreamCalls()).toBeGreaterThan(100);
    } finally {
      await h.close();
    }
  });

  it('fails the calls past the ceiling at run time, typed, without sending them', async () => {
    // Estimated at 2 (the roles catalog and one agent walk); the walk is 3 pages of 50 agents.
    const h = await startHarness({ env: { MAX_UPSTREAM_CALLS_PER_REQUEST: '2' } });
    try {
      const res = await h.query(`{ freshchat { roles(first: 1) { nodes { members { totalCount } } } } }`);
      expect(res.status).toBe(200);
      expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 'upstreamCalls', max: 2 } });
      expect(res.errors?.[0]?.extensions).not.toHaveProperty('http');
      expect(h.upstreamCalls()).toBe(2);
    } finally {
      await h.close();
    }
  });
});
