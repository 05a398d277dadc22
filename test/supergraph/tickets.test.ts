import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/contract/index.js';
import { createDataset } from '../../src/sandbox/index.js';
import { exampleDeskId } from '../../src/supergraph/example-desk/index.js';
import { startSupergraphHarness, type SupergraphHarness } from './harness.js';

const ACCOUNT = 'sandbox';
const dataset = createDataset(1);
const contact = dataset.users[1]!;
const id = (typename: string, remoteId: string) => toGlobalId({ provider: 'freshchat', typename, accountId: ACCOUNT, remoteId });

// The "done when": a copilot reads a contact's conversations with their messages in order and
// their agents, through the supergraph, one fragment on the contract's interfaces for every helpdesk.
describe('tickets and comments through @apollo/gateway', () => {
  let h: SupergraphHarness;
  beforeAll(async () => {
    h = await startSupergraphHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  const TICKET = `fragment T on HelpdeskTicket { __typename status assignee { name } comments(first: 3) { totalCount nodes { body authorType } } }`;

  it("reads a Freshchat contact's conversations and an example desk contact's tickets with one fragment", async () => {
    const res = await h.query<{ freshchat: { user: { tickets: { nodes: { __typename: string; comments: { nodes: { body: string | null }[] } }[] } } }; desk: { tickets: { nodes: { __typename: string }[] } } }>(
      `query ($id: ID!, $desk: ID!) {
        freshchat { user(id: $id) { tickets(first: 4) { nodes { ...T } } } }
        desk: node(id: $desk) { ... on HelpdeskUser { tickets { nodes { ...T } } } }
      } ${TICKET}`,
      { id: id('FreshchatUser', contact.id), desk: exampleDeskId('ExampleDeskUser', 'u-1') },
    );
    expect(res.errors).toBeUndefined();
    const first = dataset.byUser[contact.id]![0]!;
    const tickets = res.data!.freshchat.user.tickets.nodes;
    expect(tickets.map((t) => t.__typename)).toEqual(['FreshchatTicket', 'FreshchatTicket', 'FreshchatTicket', 'FreshchatTicket']);
    expect(tickets[0]!.comments.nodes.map((c) => c.body)).toEqual(dataset.messages[first]!.slice(0, 3).map((m) => m.message_parts![0]!.text?.content ?? null));
    expect(res.data!.desk.tickets.nodes.map((t) => t.__typename)).toEqual(['ExampleDeskTicket', 'ExampleDeskTicket']);
  });

  it('refetches a Freshchat ticket and comment by global id through the node router', async () => {
    const conversation = dataset.conversations[2]!;
    const message = dataset.messages[conversation.conversation_id]![0]!;
    const res = await h.query<{ ticket: { remoteId: string }; comment: { remoteId: string } }>(
      `query ($t: ID!, $c: ID!) { ticket: node(id: $t) { ... on HelpdeskTicket { remoteId } } comment: node(id: $c) { ... on HelpdeskComment { remoteId } } }`,
      { t: id('FreshchatTicket', conversation.conversation_id), c: id('FreshchatComment', `${conversation.conversation_id}/${message.id}`) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ ticket: { remoteId: conversation.conversation_id }, comment: { remoteId: message.id } });
  });
});
