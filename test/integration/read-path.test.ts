import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, startHarness, type Harness } from '../support/harness.js';

interface Page<T> {
  totalCount: number;
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}
type Fc<T> = { freshchat: T };

const PAGE = `totalCount edges { cursor node { id } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

describe('read path over the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const agentsQuery = `query ($first: Int, $after: String, $last: Int, $before: String, $filter: FreshchatTicketingUserFilter) {
    freshchat { ticketingUsers(first: $first, after: $after, last: $last, before: $before, filter: $filter) { ${PAGE} } } }`;
  const agents = async (variables: Record<string, unknown>) =>
    h.query<Fc<{ ticketingUsers: Page<{ id: string }> }>>(agentsQuery, variables);

  it('lists 20 agents by default with exact forward pageInfo', async () => {
    const res = await agents({});
    const page = res.data!.freshchat.ticketingUsers;
    expect(page.totalCount).toBe(h.sandbox.dataset.agents.length);
    expect(page.edges).toHaveLength(20);
    expect(page.nodes.map((n) => n.id)).toEqual(page.edges.map((e) => e.node.id));
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(page.pageInfo.startCursor).toBe(page.edges[0]!.cursor);
    expect(page.pageInfo.endCursor).toBe(page.edges[19]!.cursor);
  });

  it('pages forward through every agent with no gap or duplicate, in the order of the list', async () => {
    const seen = await pageForward(agents, 40);
    expect(seen).toHaveLength(h.sandbox.dataset.agents.length);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('pages backward with last/before to the same sequence', async () => {
    const forward = await pageForward(agents, 50);
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const page: Page<{ id: string }> = (await agents({ last: 35, before })).data!.freshchat.ticketingUsers;
      backward.unshift(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward).toEqual(forward);
  });

  it('filters agents by activity and counts what Freshchat counts', async () => {
    const deactivated = h.sandbox.dataset.agents.filter((a) => a.is_deactivated).length;
    const res = await agents({ filter: { isActive: false }, first: 100 });
    expect(res.data!.freshchat.ticketingUsers.totalCount).toBe(deactivated);
  });

  it('filters agents by group global id', async () => {
    const group = h.sandbox.dataset.groups[0]!;
    const members = h.sandbox.dataset.agents.filter((a) => a.groups?.includes(group.id)).map((a) => globalId('FreshchatTicketingUser', a.id));
    const res = await agents({ filter: { groupId: globalId('FreshchatGroup', group.id) }, first: 100 });
    expect(res.data!.freshchat.ticketingUsers.nodes.map((n) => n.id).sort()).toEqual(members.sort());
  });

  it('returns an empty page, not an error, when an agent filter matches nothing', async () => {
    h.sandbox.resetCalls();
    const missing = globalId('FreshchatGroup', 'no-such-group');
    const res = await agents({ filter: { groupId: missing } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.freshchat.ticketingUsers).toMatchObject({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('rejects a cursor from another filter with BAD_USER_INPUT', async () => {
    const page = (await agents({ first: 5 })).data!.freshchat.ticketingUsers;
    const res = await agents({ first: 5, after: page.pageInfo.endCursor, filter: { isActive: true } });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([{ first: 101 }, { first: -1 }, { last: 101 }])('rejects %o with BAD_USER_INPUT and no upstream call', async (args) => {
    h.sandbox.resetCalls();
    const res = await agents(args);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(h.upstreamCalls()).toBe(0);
  });

  it('rejects a group filter that is not a group id of this account', async () => {
    const res = await agents({ filter: { groupId: globalId('FreshchatGroup', 'x', 'other-account') } });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lists contacts without a filter, supplying Freshchat’s mandatory filter', async () => {
    const res = await h.query<Fc<{ users: Page<{ id: string }> }>>(`{ freshchat { users(first: 100) { ${PAGE} } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.freshchat.users.totalCount).toBe(h.sandbox.dataset.users.length);
    expect(res.data!.freshchat.users.nodes).toHaveLength(100);
  });

  it('finds a contact by external id with its unified fields', async () => {
    const contact = h.sandbox.dataset.users.find((u) => u.reference_id && u.phone && u.properties?.length)!;
    const res = await h.query<Fc<{ users: Page<Record<string, unknown>> }>>(
      `query ($f: FreshchatUserFilter) { freshchat { users(filter: $f) { totalCount nodes {
        id remoteId externalId emails { address isPrimary } phones { number } customFields { name value } createdAt updatedAt
      } } } }`,
      { f: { externalId: contact.reference_id } },
    );
    const users = res.data!.freshchat.users;
    expect(users.totalCount).toBe(1);
    expect(users.nodes[0]).toMatchObject({
      id: globalId('FreshchatUser', contact.id),
      remoteId: contact.id,
      externalId: contact.reference_id,
      phones: [{ number: contact.phone }],
      customFields: contact.properties!.map((p) => ({ name: p.name, value: p.value ?? null })),
      createdAt: contact.created_time,
    });
  });

  it('looks up a contact with a non-UUID id and refetches it with node', async () => {
    const contact = h.sandbox.dataset.users.find((u) => !/^[0-9a-f-]{36}$/.test(u.id))!;
    const id = globalId('FreshchatUser', contact.id);
    const res = await h.query<Fc<{ user: { remoteId: string }; node: { __typename: string; remoteId: string } }>>(
      `query ($id: ID!) { freshchat { user(id: $id) { remoteId } node(id: $id) { __typename ... on HelpdeskUser { remoteId } } } }`,
      { id },
    );
    expect(res.data!.freshchat.user.remoteId).toBe(contact.id);
    expect(res.data!.freshchat.node).toEqual({ __typename: 'FreshchatUser', remoteId: contact.id });
  });

  it('follows an agent to its role and groups', async () => {
    const agent = h.sandbox.dataset.agents.find((a) => (a.groups?.length ?? 0) >= 2)!;
    const res = await h.query<Fc<{ ticketingUser: { role: { remoteId: string }; groups: Page<{ id: string }> } }>>(
      `query ($id: ID!) { freshchat { ticketingUser(id: $id) { role { remoteId } groups { ${PAGE} } } } }`,
      { id: globalId('FreshchatTicketingUser', agent.id) },
    );
    const found = res.data!.freshchat.ticketingUser;
    expect(found.role.remoteId).toBe(agent.role_id);
    expect(found.groups.nodes.map((g) => g.id)).toEqual(agent.groups!.map((g) => globalId('FreshchatGroup', g)));
  });

  it('lists every member of a group, deactivated ones included', async () => {
    const group = h.sandbox.dataset.groups.find((g) => h.sandbox.dataset.agents.some((a) => a.is_deactivated && a.groups?.includes(g.id)))!;
    const members = h.sandbox.dataset.agents.filter((a) => a.groups?.includes(group.id));
    const res = await h.query<Fc<{ group: { members: { totalCount: number; nodes: { isActive: boolean }[] } } }>>(
      `query ($id: ID!) { freshchat { group(id: $id) { members(first: 100) { totalCount nodes { isActive } } } } }`,
      { id: globalId('FreshchatGroup', group.id) },
    );
    const found = res.data!.freshchat.group.members;
    expect(found.totalCount).toBe(members.length);
    expect(found.nodes.filter((n) => !n.isActive)).toHaveLength(members.filter((a) => a.is_deactivated || a.is_deleted).length);
  });

  it('lists the members of a built-in role with a non-UUID id', async () => {
    const holders = h.sandbox.dataset.agents.filter((a) => a.role_id === 'ACCOUNT_ADMIN');
    const res = await h.query<Fc<{ role: { name: string; isCustom: boolean; members: { totalCount: number } } }>>(
      `query ($id: ID!) { freshchat { role(id: $id) { name isCustom members { totalCount } } } }`,
      { id: globalId('FreshchatRole', 'ACCOUNT_ADMIN') },
    );
    expect(res.data!.freshchat.role).toMatchObject({ isCustom: false, members: { totalCount: holders.length } });
  });

  it('lists groups and roles as connections with totals', async () => {
    const res = await h.query<Fc<{ groups: Page<unknown>; roles: Page<unknown> }>>(`{ freshchat { groups { ${PAGE} } roles { ${PAGE} } } }`);
    expect(res.data!.freshchat.groups.totalCount).toBe(h.sandbox.dataset.groups.length);
    expect(res.data!.freshchat.roles.totalCount).toBe(h.sandbox.dataset.roles.length);
  });

  it('refetches objects of every type with nodes, in order, null for unknown, malformed and foreign ids', async () => {
    const { agents: [agent], groups: [group], roles: [role] } = h.sandbox.dataset;
    const ids = [
      globalId('FreshchatTicketingUser', agent!.id),
      'not-a-global-id',
      globalId('FreshchatGroup', group!.id),
      globalId('FreshchatRole', role!.id),
      globalId('FreshchatTicketingUser', 'missing-agent'),
      globalId('FreshchatTicketingUser', agent!.id, 'other-account'),
    ];
    const res = await h.query<Fc<{ nodes: ({ id: string; __typename: string } | null)[] }>>(
      `query ($ids: [ID!]!) { freshchat { nodes(ids: $ids) { __typename id } } }`,
      { ids },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.freshchat.nodes).toEqual([
      { __typename: 'FreshchatTicketingUser', id: ids[0] },
      null,
      { __typename: 'FreshchatGroup', id: ids[2] },
      { __typename: 'FreshchatRole', id: ids[3] },
      null,
      null,
    ]);
  });

  it('answers a typed lookup of a missing object with null', async () => {
    const res = await h.query(`query ($id: ID!) { freshchat { ticketingUser(id: $id) { id } } }`, {
      id: globalId('FreshchatTicketingUser', 'missing-agent'),
    });
    expect(res).toMatchObject({ data: { freshchat: { ticketingUser: null } } });
    expect(res.errors).toBeUndefined();
  });

  it.each([['not-an-id'], [globalId('FreshchatGroup', 'g')], [globalId('FreshchatUser', 'u', 'other-account')]])(
    'rejects %s as a contact id with BAD_USER_INPUT',
    async (id) => {
      const res = await h.query(`query ($id: ID!) { freshchat { user(id: $id) { id } } }`, { id });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    },
  );

  it('answers an unknown accountId with ACCOUNT_NOT_FOUND at freshchat', async () => {
    const res = await h.query(`{ freshchat(accountId: "nope") { accountId } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('ACCOUNT_NOT_FOUND');
    expect(res.errors?.[0]?.path).toEqual(['freshchat']);
  });

  it('returns Freshchat’s raw object as remoteData', async () => {
    const agent = h.sandbox.dataset.agents[3]!;
    const res = await h.query<Fc<{ ticketingUser: { remoteData: unknown } }>>(
      `query ($id: ID!) { freshchat { ticketingUser(id: $id) { remoteData } } }`,
      { id: globalId('FreshchatTicketingUser', agent.id) },
    );
    expect(res.data!.freshchat.ticketingUser.remoteData).toEqual(agent);
  });

  it('resolves _entities in representation order, null for foreign and unknown ids', async () => {
    const { agents: [a], users: [u], groups: [g] } = h.sandbox.dataset;
    const r = [
      { __typename: 'FreshchatUser', id: globalId('FreshchatUser', u!.id) },
      { __typename: 'FreshchatTicketingUser', id: 'Zm9yZWlnbg' },
      { __typename: 'FreshchatGroup', id: globalId('FreshchatGroup', g!.id) },
      { __typename: 'FreshchatTicketingUser', id: globalId('FreshchatTicketingUser', a!.id) },
      { __typename: 'FreshchatRole', id: globalId('FreshchatRole', 'NOPE') },
    ];
    const res = await h.query<{ _entities: unknown[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Node { id } } }`,
      { r },
    );
    expect(res.data!._entities).toEqual([{ id: r[0]!.id }, null, { id: r[2]!.id }, { id: r[3]!.id }, null]);
  });

  it('publishes its federation SDL with @link and @key', async () => {
    const res = await h.query<{ _service: { sdl: string } }>(`{ _service { sdl } }`);
    expect(res.data!._service.sdl).toMatch(/@link\(\s*url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.14"/);
    expect(res.data!._service.sdl).toMatch(/type FreshchatTicketingUser implements Node & HelpdeskTicketingUser\s+@key\(fields: "id"\)/);
  });
});

async function pageForward(
  agents: (v: Record<string, unknown>) => Promise<{ data?: Fc<{ ticketingUsers: Page<{ id: string }> }> }>,
  size: number,
): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Page<{ id: string }> = (await agents({ first: size, after })).data!.freshchat.ticketingUsers;
    seen.push(...page.nodes.map((n) => n.id));
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor;
  }
}
