import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Freshchat from '../../src/resources/wire.js';
import { globalId, startHarness, type Harness } from '../support/harness.js';

// docs/design.md#the-upstream-call-budget, docs/design.md#conversations-and-messages: upstream calls per GraphQL request for tickets and comments, counted at the sandbox.
// Freshchat's messages page holds at most 50, so a history of m messages costs ceil(m / 50) calls (1 when empty).
describe('upstream call budget of tickets and comments', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.sandbox.resetCalls());

  const data = () => h.sandbox.dataset;
  const historyCalls = (id: string) => Math.max(1, Math.ceil((data().messages[id]?.length ?? 0) / 50));
  const conversationsOf = (userIndex: number): Freshchat.Conversation[] => {
    const ids = data().byUser[data().users[userIndex]!.id] ?? [];
    return ids.map((id) => data().conversations.find((c) => c.conversation_id === id)!);
  };
  const messageCalls = () => h.sandbox.calls.filter((c) => /^\/v2\/conversations\/[^/]+\/messages$/.test(c.path)).length;
  const conversationCalls = () => h.sandbox.calls.filter((c) => /^\/v2\/conversations\/[^/]+$/.test(c.path)).length;

  it("reads a contact's N tickets with comments(first: 5) in 1 + N + (history pages) calls, plus the contact", async () => {
    const tickets = conversationsOf(1);
    expect(tickets).toHaveLength(4);
    const res = await h.query(
      `query ($id: ID!) { freshchat { user(id: $id) { tickets(first: 10) { nodes { status comments(first: 5) { totalCount nodes { body } } } } } } }`,
      { id: globalId('FreshchatUser', data().users[1]!.id) },
    );
    expect(res.errors).toBeUndefined();
    const history = tickets.reduce((sum, c) => sum + historyCalls(c.conversation_id), 0);
    expect(history).toBe(3 + 2 + 1 + 1);
    expect(h.upstreamCalls(`/v2/users/${data().users[1]!.id}/conversations`)).toBe(1);
    expect(conversationCalls()).toBe(tickets.length);
    expect(messageCalls()).toBe(history);
    expect(h.upstreamCalls()).toBe(1 + 1 + tickets.length + history);
  });

  it('reads comments(first: 5) of N tickets already loaded in N calls when each thread fits a page', async () => {
    const short = data().conversations.filter((c) => (data().messages[c.conversation_id]?.length ?? 0) <= 50).slice(3, 13);
    const ids = short.map((c) => globalId('FreshchatTicket', c.conversation_id));
    const res = await h.query(
      `query ($ids: [ID!]!) { freshchat { nodes(ids: $ids) { ... on FreshchatTicket { remoteId comments(first: 5) { nodes { body } } } } } }`,
      { ids },
    );
    expect(res.errors).toBeUndefined();
    // N conversation GETs (the tickets not yet loaded) + N history reads.
    expect(conversationCalls()).toBe(10);
    expect(messageCalls()).toBe(10);
    expect(h.upstreamCalls()).toBe(20);
  });

  it('reads the latest comments of a long thread in one call, shared with its history when both are selected', async () => {
    const conversation = data().conversations[0]!;
    const id = globalId('FreshchatTicket', conversation.conversation_id);
    expect(data().messages[conversation.conversation_id]).toHaveLength(120);
    await h.query(`query ($id: ID!) { freshchat { ticket(id: $id) { latestComments(first: 5) { body } } } }`, { id });
    expect(messageCalls()).toBe(1);
    h.sandbox.resetCalls();
    const res = await h.query(`query ($id: ID!) { freshchat { ticket(id: $id) { latestComments(first: 5) { body } comments(first: 5) { totalCount } } } }`, { id });
    expect(res.errors).toBeUndefined();
    expect(messageCalls()).toBe(3);
  });

  it('fetches each conversation and each history at most once per request, however often selected', async () => {
    const conversation = data().conversations[0]!;
    const id = globalId('FreshchatTicket', conversation.conversation_id);
    const ticket = `ticket(id: $id) { status comments(first: 3) { totalCount } more: comments(first: 50, after: null) { totalCount } }`;
    const res = await h.query(`query ($id: ID!) { freshchat { a: ${ticket} b: ${ticket} node(id: $id) { id } } }`, { id });
    expect(res.errors).toBeUndefined();
    expect(conversationCalls()).toBe(1);
    expect(messageCalls()).toBe(historyCalls(conversation.conversation_id));
  });

  it("joins every comment's agent and contact with one call per distinct author at most, never per comment", async () => {
    const conversation = data().conversations[0]!;
    const thread = data().messages[conversation.conversation_id]!;
    const agents = new Set(thread.filter((m) => m.actor_type === 'agent').map((m) => m.actor_id)).size;
    const contacts = new Set(thread.filter((m) => m.actor_type === 'user').map((m) => m.actor_id)).size;
    const res = await h.query(
      `query ($id: ID!) { freshchat { ticket(id: $id) {
        contact { name } assignee { name } assignedGroup { name }
        comments(first: 100) { nodes { body agent { name } contact { name } } }
      } } }`,
      { id: globalId('FreshchatTicket', conversation.conversation_id) },
    );
    expect(res.errors).toBeUndefined();
    expect(h.upstreamCalls('/v2/agents')).toBeLessThanOrEqual(agents);
    expect(h.upstreamCalls('/v2/users')).toBeLessThanOrEqual(contacts);
    // conversation + history + authors + the group catalog (one page of 12 groups).
    expect(h.upstreamCalls()).toBeLessThanOrEqual(1 + historyCalls(conversation.conversation_id) + agents + contacts + 1);
  });

  it('resolves _entities for tickets in one call per distinct conversation', async () => {
    const conversations = data().conversations.slice(10, 16);
    const asked = [...conversations, ...conversations.slice(0, 3)];
    const representations = asked.map((c) => ({ __typename: 'FreshchatTicket', id: globalId('FreshchatTicket', c.conversation_id) }));
    const res = await h.query<{ _entities: { remoteId: string }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatTicket { remoteId } } }`,
      { r: representations },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities.map((e) => e.remoteId)).toEqual(asked.map((c) => c.conversation_id));
    expect(h.upstreamCalls()).toBe(6);
  });

  it('resolves _entities for comments of one conversation with one read of its history', async () => {
    const conversation = data().conversations[1]!;
    const thread = data().messages[conversation.conversation_id]!;
    const representations = thread.slice(0, 20).map((m) => ({ __typename: 'FreshchatComment', id: globalId('FreshchatComment', `${conversation.conversation_id}/${m.id}`) }));
    const res = await h.query<{ _entities: { remoteId: string }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatComment { remoteId } } }`,
      { r: representations },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities.map((e) => e.remoteId)).toEqual(thread.slice(0, 20).map((m) => m.id));
    expect(h.upstreamCalls()).toBe(historyCalls(conversation.conversation_id));
  });
});
