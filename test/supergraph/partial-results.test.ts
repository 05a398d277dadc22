import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toTicketingUser } from '../../src/resources/agents.js';
import { createDataset } from '../../src/sandbox/index.js';
import { createExampleDeskData } from '../../src/supergraph/example-desk/index.js';
import type { TicketRecord } from '../fixtures/tickets/index.js';
import { FAST_FAULT_ENV, UPSTREAM_FAULTS, errorsAt } from '../support/upstream-faults.js';
import { startSupergraphHarness, type SupergraphHarness } from './harness.js';

// Contract v2 through @apollo/gateway: a failed Freshchat call nulls only the field that needed it, and
// never the other helpdesk's data in the same supergraph response (issue 9).
const ACCOUNT = 'sandbox';
const dataset = createDataset(1);
const desk = createExampleDeskData();

// Two Freshchat agents that belong to groups, and one example desk agent, each assigned a ticket.
const FRESHCHAT_AGENTS = dataset.agents.filter((a) => (a.groups ?? []).length > 0).slice(0, 2).map((a) => toTicketingUser(a, ACCOUNT));
const DESK_AGENT = desk.agents[0]!;
const TICKETS: TicketRecord[] = [
  ...FRESHCHAT_AGENTS.map((a, i) => ({ id: `t-${i}`, subject: `Ticket ${i}`, assignee: { __typename: 'FreshchatTicketingUser' as const, id: a.id } })),
  { id: 't-desk', subject: 'Desk ticket', assignee: { __typename: 'ExampleDeskTicketingUser', id: DESK_AGENT.id } },
];

describe('partial results through the gateway', () => {
  let h: SupergraphHarness;
  const sandbox = () => h.running.freshchat.sandbox!;
  beforeAll(async () => {
    h = await startSupergraphHarness({ tickets: TICKETS, env: FAST_FAULT_ENV });
  });
  afterAll(() => h.close());
  afterEach(() => {
    sandbox().clearFaults();
    h.reset();
  });

  it('keeps the example desk data when a garbage cursor fails freshchat.users (the reproducer of issue 9)', async () => {
    const res = await h.query(
      `{ freshchat { users(first: 1, after: "garbage") { totalCount } } exampleDesk { ticketingUsers(first: 1) { totalCount } } }`,
    );
    expect(res.data).toEqual({ freshchat: { users: null }, exampleDesk: { ticketingUsers: { totalCount: desk.agents.length } } });
    expect(errorsAt(res.errors)).toEqual([{ path: ['freshchat', 'users'], code: 'BAD_USER_INPUT' }]);
  });

  describe.each(UPSTREAM_FAULTS)('a $name on the Freshchat roles list', ({ fault, code }) => {
    it(`nulls only freshchat.roles, with ${code} at its path, and keeps its siblings and the example desk`, async () => {
      sandbox().inject({ fault, match: '/v2/roles' });
      const res = await h.query(`{
        freshchat { accountId users(first: 1) { totalCount } roles(first: 2) { totalCount } }
        exampleDesk { ticketingUsers(first: 1) { totalCount } roles(first: 1) { totalCount } }
      }`);
      expect(res.data).toEqual({
        freshchat: { accountId: ACCOUNT, users: { totalCount: dataset.users.length }, roles: null },
        exampleDesk: { ticketingUsers: { totalCount: desk.agents.length }, roles: { totalCount: desk.roles.length } },
      });
      expect(errorsAt(res.errors)).toEqual([{ path: ['freshchat', 'roles'], code }]);
    });
  });

  it('nulls only freshchat for an account that is not linked, keeping the example desk', async () => {
    const res = await h.query(`{ freshchat(accountId: "not-linked") { accountId } exampleDesk { users(first: 1) { totalCount } } }`);
    expect(res.data).toEqual({ freshchat: null, exampleDesk: { users: { totalCount: desk.users.length } } });
    expect(errorsAt(res.errors)).toEqual([{ path: ['freshchat'], code: 'ACCOUNT_NOT_FOUND' }]);
  });

  describe('entities another subgraph references', () => {
    const query = `{ tickets { id assignee { id ... on HelpdeskTicketingUser { name groups { totalCount } } } } }`;

    it('nulls only the groups of Freshchat assignees when Freshchat groups fail, at each one\'s path', async () => {
      sandbox().inject({ fault: { kind: 'status', status: 503 }, match: '/v2/groups' });
      const res = await h.query(query);
      expect(res.data).toEqual({
        tickets: [
          ...FRESHCHAT_AGENTS.map((a, i) => ({ id: `t-${i}`, assignee: { id: a.id, name: a.name, groups: null } })),
          { id: 't-desk', assignee: { id: DESK_AGENT.id, name: DESK_AGENT.name, groups: { totalCount: DESK_AGENT.groupRemoteIds.length } } },
        ],
      });
      expect(errorsAt(res.errors)).toEqual(
        FRESHCHAT_AGENTS.map((_, i) => ({ path: ['tickets', i, 'assignee', 'groups'], code: 'UPSTREAM_UNAVAILABLE' })),
      );
    });

    // The gateway keeps the tickets subgraph's stub (the id) and nulls the fields Freshchat owns.
    it('nulls only the Freshchat-owned fields of Freshchat assignees when their _entities load fails', async () => {
      sandbox().inject({ fault: { kind: 'status', status: 503 }, match: '/v2/agents' });
      const res = await h.query(query);
      expect(res.data).toEqual({
        tickets: [
          ...FRESHCHAT_AGENTS.map((a, i) => ({ id: `t-${i}`, assignee: { id: a.id, name: null, groups: null } })),
          { id: 't-desk', assignee: { id: DESK_AGENT.id, name: DESK_AGENT.name, groups: { totalCount: DESK_AGENT.groupRemoteIds.length } } },
        ],
      });
      expect(errorsAt(res.errors)).toEqual(
        FRESHCHAT_AGENTS.map((_, i) => ({ path: ['tickets', i, 'assignee'], code: 'UPSTREAM_UNAVAILABLE' })),
      );
    });

    it('serves every assignee in full once the fault is gone (the table starts from a passing baseline)', async () => {
      const res = await h.query(query);
      expect(res.errors).toBeUndefined();
    });
  });
});
