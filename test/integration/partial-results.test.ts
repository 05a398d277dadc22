import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toGroup } from '../../src/resources/groups.js';
import { toRole } from '../../src/resources/roles.js';
import { toTicketingUser } from '../../src/resources/agents.js';
import type { FaultRule } from '../../src/sandbox/index.js';
import { ACCOUNT_ID, globalId, startHarness, type Harness } from '../support/harness.js';
import { withoutStacktraces } from '../support/responses.js';
import { FAST_FAULT_ENV, UPSTREAM_FAULTS, errorsAt } from '../support/upstream-faults.js';

// Contract v2 (docs/design.md#the-helpdesk-contract, docs/design.md#the-freshchat-layer): a failed Freshchat call nulls only the field that needed it, with
// its error at that field's path; the sibling fields and the rest of `freshchat` come back.
describe('partial results of the subgraph', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: FAST_FAULT_ENV });
  });
  afterAll(() => h.close());
  afterEach(() => {
    h.sandbox.clearFaults();
    h.sandbox.resetCalls();
  });

  const dataset = () => h.sandbox.dataset;

  describe.each(UPSTREAM_FAULTS)('a $name on the roles list', ({ fault, code }) => {
    const query = `{ freshchat {
      accountId
      users(first: 2) { totalCount }
      groups(first: 2) { totalCount }
      roles(first: 2) { totalCount }
      ticketingUsers(first: 2) { totalCount }
    } }`;

    it(`nulls only freshchat.roles, with ${code} at its path`, async () => {
      h.sandbox.inject({ fault, match: '/v2/roles' });
      const { status, ...body } = await h.query(query);
      expect(status).toBe(200);
      expect(body.data).toEqual({
        freshchat: {
          accountId: ACCOUNT_ID,
          users: { totalCount: dataset().users.length },
          groups: { totalCount: dataset().groups.length },
          roles: null,
          ticketingUsers: { totalCount: dataset().agents.length },
        },
      });
      expect(errorsAt(body.errors)).toEqual([{ path: ['freshchat', 'roles'], code }]);
      expect(JSON.stringify(body)).not.toContain(h.sandbox.token);
    });
  });

  it('nulls only freshchat.users, with BAD_USER_INPUT at its path and no upstream call, for a garbage cursor', async () => {
    const res = await h.query(`{ freshchat { accountId users(first: 1, after: "garbage") { totalCount } groups(first: 1) { totalCount } } }`);
    expect(res.data).toEqual({ freshchat: { accountId: ACCOUNT_ID, users: null, groups: { totalCount: dataset().groups.length } } });
    expect(errorsAt(res.errors)).toEqual([{ path: ['freshchat', 'users'], code: 'BAD_USER_INPUT' }]);
    expect(h.upstreamCalls('/v2/users')).toBe(0);
  });

  it('answers null without an error for a lookup Freshchat answers 404 (a missing object), keeping its siblings', async () => {
    const lastUser = dataset().users.at(-1)!;
    h.sandbox.inject({ fault: { kind: 'status', status: 404 }, match: /^\/v2\/users\/./ });
    const res = await h.query(`query ($id: ID!) { freshchat { user(id: $id) { name } users(first: 1) { totalCount } } }`, {
      id: globalId('FreshchatUser', lastUser.id),
    });
    expect(res).toEqual({ status: 200, data: { freshchat: { user: null, users: { totalCount: dataset().users.length } } } });
  });

  it('nulls only freshchat, with ACCOUNT_NOT_FOUND at its path, for an account that is not linked', async () => {
    const res = await h.query(`{ freshchat(accountId: "not-linked") { accountId } }`);
    expect(res.data).toEqual({ freshchat: null });
    expect(errorsAt(res.errors)).toEqual([{ path: ['freshchat'], code: 'ACCOUNT_NOT_FOUND' }]);
  });

  describe('every field that needs an upstream call is nulled alone when its call fails (503)', () => {
    const unavailable = (match: FaultRule['match']): FaultRule => ({ fault: { kind: 'status', status: 503 }, match });
    // The last of each list: never primed by the first page a sibling list reads.
    const user = () => dataset().users.at(-1)!;
    const agent = () => dataset().agents.findLast((a) => (a.groups ?? []).length > 0 && typeof a.role_id === 'string')!;
    const group = () => toGroup(dataset().groups[0]!, ACCOUNT_ID);
    const role = () => toRole(dataset().roles[0]!, ACCOUNT_ID);

    interface Row {
      field: string;
      rule: () => FaultRule;
      query: string;
      variables?: () => Record<string, unknown>;
      data: () => Record<string, unknown>;
      paths: (string | number)[][];
    }
    const rows: Row[] = [
      {
        field: 'FreshchatQuery.users',
        rule: () => unavailable('/v2/users'),
        query: `{ freshchat { accountId users(first: 2) { totalCount } groups(first: 1) { totalCount } } }`,
        data: () => ({ accountId: ACCOUNT_ID, users: null, groups: { totalCount: dataset().groups.length } }),
        paths: [['freshchat', 'users']],
      },
      {
        field: 'FreshchatQuery.user',
        rule: () => unavailable(/^\/v2\/users\/./),
        query: `query ($id: ID!) { freshchat { accountId user(id: $id) { name } users(first: 1) { totalCount } } }`,
        variables: () => ({ id: globalId('FreshchatUser', user().id) }),
        data: () => ({ accountId: ACCOUNT_ID, user: null, users: { totalCount: dataset().users.length } }),
        paths: [['freshchat', 'user']],
      },
      {
        field: 'FreshchatQuery.groups',
        rule: () => unavailable('/v2/groups'),
        query: `{ freshchat { accountId groups(first: 2) { totalCount } roles(first: 1) { totalCount } } }`,
        data: () => ({ accountId: ACCOUNT_ID, groups: null, roles: { totalCount: dataset().roles.length } }),
        paths: [['freshchat', 'groups']],
      },
      {
        field: 'FreshchatQuery.group',
        rule: () => unavailable('/v2/groups'),
        query: `query ($id: ID!) { freshchat { accountId group(id: $id) { name } roles(first: 1) { totalCount } } }`,
        variables: () => ({ id: group().id }),
        data: () => ({ accountId: ACCOUNT_ID, group: null, roles: { totalCount: dataset().roles.length } }),
        paths: [['freshchat', 'group']],
      },
      {
        field: 'FreshchatQuery.roles',
        rule: () => unavailable('/v2/roles'),
        query: `{ freshchat { accountId roles(first: 2) { totalCount } groups(first: 1) { totalCount } } }`,
        data: () => ({ accountId: ACCOUNT_ID, roles: null, groups: { totalCount: dataset().groups.length } }),
        paths: [['freshchat', 'roles']],
      },
      {
        field: 'FreshchatQuery.role',
        rule: () => unavailable('/v2/roles'),
        query: `query ($id: ID!) { freshchat { accountId role(id: $id) { name } groups(first: 1) { totalCount } } }`,
        variables: () => ({ id: role().id }),
        data: () => ({ accountId: ACCOUNT_ID, role: null, groups: { totalCount: dataset().groups.length } }),
        paths: [['freshchat', 'role']],
      },
      {
        field: 'FreshchatQuery.ticketingUsers',
        rule: () => unavailable('/v2/agents'),
        query: `{ freshchat { accountId ticketingUsers(first: 2) { totalCount } groups(first: 1) { totalCount } } }`,
        data: () => ({ accountId: ACCOUNT_ID, ticketingUsers: null, groups: { totalCount: dataset().groups.length } }),
        paths: [['freshchat', 'ticketingUsers']],
      },
      {
        field: 'FreshchatQuery.ticketingUser',
        rule: () => unavailable(/^\/v2\/agents\/./),
        query: `query ($id: ID!) { freshchat { accountId ticketingUser(id: $id) { name } ticketingUsers(first: 1) { totalCount } } }`,
        variables: () => ({ id: globalId('FreshchatTicketingUser', agent().id) }),
        data: () => ({ accountId: ACCOUNT_ID, ticketingUser: null, ticketingUsers: { totalCount: dataset().agents.length } }),
        paths: [['freshchat', 'ticketingUser']],
      },
      {
        field: 'FreshchatQuery.node',
        rule: () => unavailable(/^\/v2\/users\/./),
        query: `query ($id: ID!) { freshchat { accountId node(id: $id) { id } users(first: 1) { totalCount } } }`,
        variables: () => ({ id: globalId('FreshchatUser', user().id) }),
        data: () => ({ accountId: ACCOUNT_ID, node: null, users: { totalCount: dataset().users.length } }),
        paths: [['freshchat', 'node']],
      },
      {
        field: 'one item of FreshchatQuery.nodes',
        rule: () => unavailable(/^\/v2\/users\/./),
        query: `query ($ids: [ID!]!) { freshchat { accountId nodes(ids: $ids) { id } } }`,
        variables: () => ({ ids: [globalId('FreshchatUser', user().id), group().id] }),
        data: () => ({ accountId: ACCOUNT_ID, nodes: [null, { id: group().id }] }),
        paths: [['freshchat', 'nodes', 0]],
      },
      {
        field: 'FreshchatGroup.members',
        rule: () => unavailable('/v2/agents'),
        query: `query ($id: ID!) { freshchat { accountId group(id: $id) { name members(first: 1) { totalCount } } } }`,
        variables: () => ({ id: group().id }),
        data: () => ({ accountId: ACCOUNT_ID, group: { name: group().name, members: null } }),
        paths: [['freshchat', 'group', 'members']],
      },
      {
        field: 'FreshchatRole.members',
        rule: () => unavailable('/v2/agents'),
        query: `query ($id: ID!) { freshchat { accountId role(id: $id) { name members(first: 1) { totalCount } } } }`,
        variables: () => ({ id: role().id }),
        data: () => ({ accountId: ACCOUNT_ID, role: { name: role().name, members: null } }),
        paths: [['freshchat', 'role', 'members']],
      },
      {
        field: 'FreshchatTicketingUser.groups',
        rule: () => unavailable('/v2/groups'),
        query: `query ($id: ID!) { freshchat { accountId ticketingUser(id: $id) { name groups { totalCount } } } }`,
        variables: () => ({ id: globalId('FreshchatTicketingUser', agent().id) }),
        data: () => ({ accountId: ACCOUNT_ID, ticketingUser: { name: toTicketingUser(agent(), ACCOUNT_ID).name, groups: null } }),
        paths: [['freshchat', 'ticketingUser', 'groups']],
      },
      {
        field: 'FreshchatTicketingUser.role',
        rule: () => unavailable('/v2/roles'),
        query: `query ($id: ID!) { freshchat { accountId ticketingUser(id: $id) { name role { name } } } }`,
        variables: () => ({ id: globalId('FreshchatTicketingUser', agent().id) }),
        data: () => ({ accountId: ACCOUNT_ID, ticketingUser: { name: toTicketingUser(agent(), ACCOUNT_ID).name, role: null } }),
        paths: [['freshchat', 'ticketingUser', 'role']],
      },
    ];

    it.each(rows)('$field', async ({ rule, query, variables, data, paths }) => {
      h.sandbox.inject(rule());
      const res = await h.query(query, variables?.());
      expect(res.data).toEqual({ freshchat: data() });
      expect(errorsAt(res.errors)).toEqual(paths.map((path) => ({ path, code: 'UPSTREAM_UNAVAILABLE' })));
    });

    it('serves the same rows in full once the fault is gone (the table starts from a passing baseline)', async () => {
      for (const { query, variables } of rows) {
        const res = await h.query(query, variables?.());
        expect(res.errors, query).toBeUndefined();
      }
    });
  });
});

describe('README.md, partial results', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const example = /```graphql\n(query PartialResults[\s\S]*?)```[\s\S]*?```json\n([\s\S]*?)```/.exec(readme);
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ accountId: 'sandbox' });
  });
  afterAll(() => h.close());

  it('answers the PartialResults example exactly as printed against the sandbox', async () => {
    expect(example).not.toBeNull();
    const { status, ...body } = await h.query(example![1]!);
    expect(status).toBe(200);
    expect(withoutStacktraces(body)).toEqual(JSON.parse(example![2]!));
  });
});
