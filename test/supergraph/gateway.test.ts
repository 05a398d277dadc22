import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTRACT_INTERFACES, toGlobalId } from '../../src/contract/index.js';
import { toGroup } from '../../src/resources/groups.js';
import { toRole } from '../../src/resources/roles.js';
import { toTicketingUser } from '../../src/resources/agents.js';
import { createDataset } from '../../src/sandbox/index.js';
import { exampleDeskId } from '../../src/supergraph/example-desk/index.js';
import { NODE_TYPENAMES, type NodeTypename } from '../../src/resources/index.js';
import type { TicketRecord } from '../fixtures/tickets/index.js';
import { startSupergraphHarness, type SupergraphHarness } from './harness.js';

// The sandbox `npm run supergraph` serves (seed 1, account `sandbox`), known before it starts so the
// tickets subgraph can reference its agents.
const ACCOUNT = 'sandbox';
const dataset = createDataset(1);
const agent = (i: number) => toTicketingUser(dataset.agents[i]!, ACCOUNT);

// 20 Freshchat agents spread over the whole list (every 7th), 3 example desk agents, one unassigned.
const FRESHCHAT_ASSIGNEES = Array.from({ length: 20 }, (_, i) => agent(i * 7));
const EXAMPLE_DESK_ASSIGNEES = ['a-1', 'a-2', 'a-3'].map((id) => exampleDeskId('ExampleDeskTicketingUser', id));
const TICKETS: TicketRecord[] = [
  ...FRESHCHAT_ASSIGNEES.map((a, i) => ({ id: `t-${i}`, subject: `Ticket ${i}`, assignee: { __typename: 'FreshchatTicketingUser' as const, id: a.id } })),
  ...EXAMPLE_DESK_ASSIGNEES.map((id, i) => ({ id: `t-ed-${i}`, subject: `Desk ticket ${i}`, assignee: { __typename: 'ExampleDeskTicketingUser' as const, id } })),
  { id: 't-none', subject: 'Unassigned', assignee: null },
];

interface Assignee {
  __typename: string;
  id: string;
  name: string | null;
  role: { name: string } | null;
}

describe('the supergraph through @apollo/gateway', () => {
  let h: SupergraphHarness;
  beforeAll(async () => {
    h = await startSupergraphHarness({ tickets: TICKETS });
    expect(h.running.freshchat.sandbox?.dataset).toEqual(dataset);
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  describe('a third subgraph referencing Freshchat agents by key', () => {
    const query = `{ tickets { id assignee { __typename id ... on HelpdeskTicketingUser { name role { name } } } } }`;

    it('resolves every assignee from the helpdesk that owns it, in ticket order', async () => {
      const res = await h.query<{ tickets: { id: string; assignee: Assignee | null }[] }>(query);
      expect(res.errors).toBeUndefined();
      const assignees = res.data!.tickets.map((t) => t.assignee);
      expect(assignees.map((a) => a?.id ?? null)).toEqual(TICKETS.map((t) => t.assignee?.id ?? null));
      expect(assignees.slice(0, 20).map((a) => a?.name)).toEqual(FRESHCHAT_ASSIGNEES.map((a) => a.name));
      expect(assignees.slice(20, 23).map((a) => a?.name)).toEqual(['Ines Costa', 'Tomas Silva', 'Rita Sousa']);
      expect(assignees.every((a) => a === null || a.role !== null)).toBe(true);
    });

    it('loads 20 Freshchat assignees with one _entities fetch and no more upstream calls than the agent list walk', async () => {
      await h.query(query);
      expect(Object.fromEntries(h.subgraphRequests)).toEqual({ tickets: 1, freshchat: 1, exampledesk: 1 });
      // 20 representations → the 150-agent list walked once (3 pages of 50), roles read once as a catalog.
      expect(h.upstreamCalls('/v2/agents')).toBeLessThanOrEqual(Math.ceil(dataset.agents.length / 50));
      expect(h.upstreamCalls('/v2/roles')).toBeLessThanOrEqual(1);
      expect(h.upstreamCalls()).toBeLessThanOrEqual(4);
    });
  });

  describe('node(id:) and nodes(ids:) across helpdesks', () => {
    const group = toGroup(dataset.groups[0]!, ACCOUNT);
    const role = toRole(dataset.roles[0]!, ACCOUNT);
    // Group/Role names are non-null, person names nullable: one alias keeps the selections mergeable.
    const NODE_FIELDS = `__typename id ... on HelpdeskTicketingUser { name } ... on HelpdeskUser { name } ... on HelpdeskGroup { title: name } ... on HelpdeskRole { title: name }`;

    it('refetches an object of either helpdesk by id', async () => {
      const res = await h.query(`query ($a: ID!, $b: ID!) { a: node(id: $a) { ${NODE_FIELDS} } b: node(id: $b) { ${NODE_FIELDS} } }`, {
        a: agent(0).id,
        b: exampleDeskId('ExampleDeskUser', 'u-2'),
      });
      expect(res).toEqual({
        data: {
          a: { __typename: 'FreshchatTicketingUser', id: agent(0).id, name: agent(0).name },
          b: { __typename: 'ExampleDeskUser', id: exampleDeskId('ExampleDeskUser', 'u-2'), name: 'Rui Mota' },
        },
      });
    });

    it('answers nodes(ids:) in the order given, with null for malformed and unknown-type ids', async () => {
      const ids = [
        agent(3).id,
        exampleDeskId('ExampleDeskGroup', 'g-1'),
        'not-a-global-id',
        group.id,
        toGlobalId({ provider: 'zendesk', typename: 'ZendeskUser', accountId: 'acme', remoteId: '42' }),
        role.id,
        exampleDeskId('ExampleDeskRole', 'agent'),
      ];
      const res = await h.query(`query ($ids: [ID!]!) { nodes(ids: $ids) { ${NODE_FIELDS} } }`, { ids });
      expect(res).toEqual({
        data: {
          nodes: [
            { __typename: 'FreshchatTicketingUser', id: ids[0], name: agent(3).name },
            { __typename: 'ExampleDeskGroup', id: ids[1], title: 'Tier 1' },
            null,
            { __typename: 'FreshchatGroup', id: group.id, title: group.name },
            null,
            { __typename: 'FreshchatRole', id: role.id, title: role.name },
            { __typename: 'ExampleDeskRole', id: ids[6], title: 'Agent' },
          ],
        },
      });
    });

    const conversation = dataset.conversations[0]!;
    const message = dataset.messages[conversation.conversation_id]![0]!;
    // One object of every entity type: the Freshchat id its global id carries, and its remoteId.
    const ONE_OF_EACH: Record<NodeTypename, { key: string; remoteId: string }> = {
      FreshchatUser: { key: dataset.users[0]!.id, remoteId: dataset.users[0]!.id },
      FreshchatGroup: { key: group.remoteId, remoteId: group.remoteId },
      FreshchatRole: { key: role.remoteId, remoteId: role.remoteId },
      FreshchatTicketingUser: { key: agent(0).remoteId, remoteId: agent(0).remoteId },
      FreshchatTicket: { key: conversation.conversation_id, remoteId: conversation.conversation_id },
      FreshchatComment: { key: `${conversation.conversation_id}/${message.id}`, remoteId: message.id },
      FreshchatChannel: { key: dataset.channels[0]!.id, remoteId: dataset.channels[0]!.id },
    };
    // Channels are Freshchat-only: no contract interface carries their remoteId.
    const REMOTE_ID = [...CONTRACT_INTERFACES.filter((i) => i !== 'Node'), 'FreshchatChannel'].map((i) => `... on ${i} { remoteId }`).join(' ');

    it.each(NODE_TYPENAMES)('refetches a %s by id through the node-router', async (typename) => {
      const id = toGlobalId({ provider: 'freshchat', typename, accountId: ACCOUNT, remoteId: ONE_OF_EACH[typename].key });
      const res = await h.query(`query ($id: ID!) { node(id: $id) { __typename id ${REMOTE_ID} } }`, { id });
      expect(res).toEqual({ data: { node: { __typename: typename, id, remoteId: ONE_OF_EACH[typename].remoteId } } });
    });

    it('batches every Freshchat id of nodes(ids:) into one _entities fetch', async () => {
      const ids = [agent(1).id, group.id, agent(2).id, role.id];
      await h.query(`query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on HelpdeskTicketingUser { name } } }`, { ids });
      expect(Object.fromEntries(h.subgraphRequests)).toEqual({ 'node-router': 1, freshchat: 1 });
      expect(h.upstreamCalls()).toBeLessThanOrEqual(3);
    });

    it('answers null for a well-formed id of a missing object once a non-null field is selected', async () => {
      // The router cannot null an entity the owning subgraph did not find; a non-null field does.
      const missing = toGlobalId({ provider: 'freshchat', typename: 'FreshchatTicketingUser', accountId: ACCOUNT, remoteId: 'gone' });
      const res = await h.query(`query ($id: ID!) { node(id: $id) { id ... on HelpdeskTicketingUser { remoteId name } } }`, { id: missing });
      expect(res.data).toEqual({ node: null });
      expect(res.errors).toBeUndefined();
    });

    it('refuses more than 100 ids in nodes(ids:), with no data', async () => {
      const res = await h.query(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 101 }, () => agent(0).id) });
      // The node-router refuses it before execution with HTTP 400 BAD_USER_INPUT (limit "ids", tested in
      // node-router-hardening); @apollo/gateway reports any subgraph 400 as its own generic error.
      expect(res.data ?? null).toBeNull();
      expect(res.errors).toHaveLength(1);
    });
  });
});
