import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Freshchat from '../../src/resources/wire.js';
import { registryDataDir } from '../support/data-dir.js';
import { globalId, startHarness, type Harness } from '../support/harness.js';
import type { UserErrorShape } from './operations.js';

const ERRORS = 'userErrors { field code message }';
const REPLY = `mutation ($id: ID!, $body: String!, $isPrivate: Boolean, $agentId: ID!, $key: String) {
  freshchatReplyToTicket(id: $id, body: $body, isPrivate: $isPrivate, agentId: $agentId, idempotencyKey: $key) {
    comment { id remoteId body isPrivate authorType agent { remoteId } } ${ERRORS} } }`;
const UPDATE = `mutation ($id: ID!, $status: HelpdeskTicketStatus, $assigneeId: ID, $groupId: ID, $key: String) {
  freshchatUpdateTicket(id: $id, status: $status, assigneeId: $assigneeId, groupId: $groupId, idempotencyKey: $key) {
    ticket { remoteId status freshchatStatus assignee { remoteId } assignedGroup { remoteId } } ${ERRORS} } }`;
const CREATE = `mutation ($contactId: ID!, $channelId: String!, $body: String!, $agentId: ID, $key: String) {
  freshchatCreateTicket(contactId: $contactId, channelId: $channelId, body: $body, agentId: $agentId, idempotencyKey: $key) {
    ticket { id remoteId status contact { remoteId } } ${ERRORS} } }`;
const THREAD = `query ($id: ID!) { freshchat { ticket(id: $id) { updatedAt comments(first: 100) { totalCount nodes { remoteId body isPrivate } } } } }`;

type Reply = { freshchatReplyToTicket: { comment: { remoteId: string; body: string; isPrivate: boolean; authorType: string; agent: { remoteId: string } } | null; userErrors: UserErrorShape[] } };
type Update = { freshchatUpdateTicket: { ticket: Record<string, unknown> | null; userErrors: UserErrorShape[] } };
type Create = { freshchatCreateTicket: { ticket: { id: string; remoteId: string; status: string; contact: { remoteId: string } } | null; userErrors: UserErrorShape[] } };
type Thread = { freshchat: { ticket: { comments: { totalCount: number; nodes: { remoteId: string; body: string; isPrivate: boolean }[] } } } };

describe('conversation writes over the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { DATA_DIR: await registryDataDir() } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.sandbox.resetCalls());

  const data = () => h.sandbox.dataset;
  const withStatus = (status: string, skip = 0): Freshchat.Conversation => data().conversations.filter((c) => c.status === status)[skip]!;
  const ticketId = (c: Freshchat.Conversation) => globalId('FreshchatTicket', c.conversation_id);
  const activeAgent = (i = 0) => data().agents.filter((a) => !a.is_deactivated)[i]!;
  const writes = () => h.sandbox.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);

  it('replies as an agent with one POST, and the thread read in the same request shows the reply last', async () => {
    const conversation = withStatus('assigned', 3);
    const agent = activeAgent();
    const res = await h.query<Reply & Thread>(
      `mutation ($id: ID!, $agentId: ID!) {
        freshchatReplyToTicket(id: $id, body: "On it!", agentId: $agentId) { comment { remoteId body isPrivate authorType agent { remoteId } } userErrors { code } }
      }`,
      { id: ticketId(conversation), agentId: globalId('FreshchatTicketingUser', agent.id) },
    );
    expect(res.errors).toBeUndefined();
    const comment = res.data!.freshchatReplyToTicket.comment!;
    expect(comment).toMatchObject({ body: 'On it!', isPrivate: false, authorType: 'AGENT', agent: { remoteId: agent.id } });
    expect(writes()).toEqual([`POST /v2/conversations/${conversation.conversation_id}/messages`]);
    const thread = (await h.query<Thread>(THREAD, { id: ticketId(conversation) })).data!.freshchat.ticket.comments;
    expect(thread.nodes.at(-1)).toEqual({ remoteId: comment.remoteId, body: 'On it!', isPrivate: false });
  });

  it('writes a private note', async () => {
    const conversation = withStatus('assigned', 4);
    const res = await h.query<Reply>(REPLY, { id: ticketId(conversation), body: 'Refund approved.', isPrivate: true, agentId: globalId('FreshchatTicketingUser', activeAgent().id) });
    expect(res.data!.freshchatReplyToTicket.comment).toMatchObject({ isPrivate: true, body: 'Refund approved.' });
    expect(data().messages[conversation.conversation_id]!.at(-1)).toMatchObject({ message_type: 'private', actor_type: 'agent' });
  });

  it('reports every input problem of a reply at once, sending nothing', async () => {
    const res = await h.query<Reply>(REPLY, { id: globalId('FreshchatUser', 'x'), body: '  ', agentId: globalId('FreshchatGroup', 'g'), key: 'k'.repeat(256) });
    expect(res.data!.freshchatReplyToTicket.comment).toBeNull();
    expect(res.data!.freshchatReplyToTicket.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['idempotencyKey'], 'INVALID_IDEMPOTENCY_KEY'],
      [['id'], 'INVALID_ID'],
      [['body'], 'BLANK'],
    ]);
    expect(h.upstreamCalls()).toBe(0);
  });

  it('answers an agent Freshchat refuses (a deactivated one) in userErrors, not as an error', async () => {
    const deactivated = data().agents.find((a) => a.is_deactivated)!;
    const res = await h.query<Reply>(REPLY, { id: ticketId(withStatus('assigned', 5)), body: 'Hi', agentId: globalId('FreshchatTicketingUser', deactivated.id) });
    expect(res.errors).toBeUndefined();
    expect(res.data!.freshchatReplyToTicket).toMatchObject({ comment: null, userErrors: [{ code: 'REJECTED', field: null }] });
  });

  it('resolves a conversation (RESOLVED → resolved) and reopens it (OPEN → reopened)', async () => {
    const conversation = withStatus('assigned', 6);
    const resolved = await h.query<Update>(UPDATE, { id: ticketId(conversation), status: 'RESOLVED' });
    expect(resolved.data!.freshchatUpdateTicket).toMatchObject({ ticket: { status: 'RESOLVED', freshchatStatus: 'resolved' }, userErrors: [] });
    expect(writes()).toEqual([`PUT /v2/conversations/${conversation.conversation_id}`]);
    const reopened = await h.query<Update>(UPDATE, { id: ticketId(conversation), status: 'OPEN' });
    expect(reopened.data!.freshchatUpdateTicket.ticket).toMatchObject({ status: 'OPEN', freshchatStatus: 'reopened' });
  });

  it('assigns an agent and a group, which puts the conversation in progress', async () => {
    const conversation = withStatus('new', 2);
    const agent = activeAgent(4);
    const group = data().groups[3]!;
    const res = await h.query<Update>(UPDATE, { id: ticketId(conversation), assigneeId: globalId('FreshchatTicketingUser', agent.id), groupId: globalId('FreshchatGroup', group.id) });
    expect(res.data!.freshchatUpdateTicket).toEqual({
      ticket: { remoteId: conversation.conversation_id, status: 'IN_PROGRESS', freshchatStatus: 'assigned', assignee: { remoteId: agent.id }, assignedGroup: { remoteId: group.id } },
      userErrors: [],
    });
  });

  it.each(['IN_PROGRESS', 'WAITING'])('refuses status %s with UNSUPPORTED_STATUS and sends nothing', async (status) => {
    const res = await h.query<Update>(UPDATE, { id: ticketId(withStatus('new', 3)), status });
    expect(res.data!.freshchatUpdateTicket).toEqual({ ticket: null, userErrors: [expect.objectContaining({ field: ['status'], code: 'UNSUPPORTED_STATUS' })] });
    expect(h.upstreamCalls()).toBe(0);
  });

  it('refuses an update with nothing to change', async () => {
    const res = await h.query<Update>(UPDATE, { id: ticketId(withStatus('new', 3)) });
    expect(res.data!.freshchatUpdateTicket.userErrors.map((e) => e.code)).toEqual(['NOTHING_TO_UPDATE']);
  });

  it('answers a conversation Freshchat does not know with NOT_FOUND in userErrors', async () => {
    const res = await h.query<Update>(UPDATE, { id: globalId('FreshchatTicket', 'no-such-conversation'), status: 'RESOLVED' });
    expect(res.data!.freshchatUpdateTicket).toMatchObject({ ticket: null, userErrors: [{ field: ['id'], code: 'NOT_FOUND' }] });
  });

  it("starts a conversation for a contact on a topic, listed among the contact's tickets afterwards", async () => {
    const contact = data().users[2]!;
    const res = await h.query<Create>(CREATE, { contactId: globalId('FreshchatUser', contact.id), channelId: data().channels[1]!.id, body: 'Your order shipped.', agentId: globalId('FreshchatTicketingUser', activeAgent().id) });
    expect(res.errors).toBeUndefined();
    const ticket = res.data!.freshchatCreateTicket.ticket!;
    expect(ticket).toMatchObject({ status: 'OPEN', contact: { remoteId: contact.id } });
    expect(writes()).toEqual(['POST /v2/conversations']);
    const list = await h.query<{ freshchat: { user: { tickets: { nodes: { id: string; comments: { nodes: { body: string }[] } }[] } } } }>(
      `query ($id: ID!) { freshchat { user(id: $id) { tickets { nodes { id comments { nodes { body } } } } } } }`,
      { id: globalId('FreshchatUser', contact.id) },
    );
    expect(list.data!.freshchat.user.tickets.nodes).toContainEqual({ id: ticket.id, comments: { nodes: [{ body: 'Your order shipped.' }] } });
  });

  it('answers a topic Freshchat does not know with REJECTED at channelId', async () => {
    const res = await h.query<Create>(CREATE, { contactId: globalId('FreshchatUser', data().users[3]!.id), channelId: 'no-such-topic', body: 'Hi' });
    expect(res.data!.freshchatCreateTicket).toMatchObject({ ticket: null, userErrors: [{ field: ['channelId'], code: 'REJECTED' }] });
  });

  it('replays a reply under the same idempotency key without a second write, and refuses the key for another reply', async () => {
    const conversation = withStatus('assigned', 7);
    const variables = { id: ticketId(conversation), body: 'Once only', agentId: globalId('FreshchatTicketingUser', activeAgent().id), key: 'reply-once-1' };
    const first = await h.query<Reply>(REPLY, variables);
    const again = await h.query<Reply>(REPLY, variables);
    expect(again.data).toEqual(first.data);
    expect(writes()).toEqual([`POST /v2/conversations/${conversation.conversation_id}/messages`]);
    const other = await h.query<Reply>(REPLY, { ...variables, body: 'Something else' });
    expect(other.data!.freshchatReplyToTicket.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(data().messages[conversation.conversation_id]!.filter((m) => m.message_parts?.[0]?.text?.content === 'Once only')).toHaveLength(1);
  });

  it('sends a reply once and reports an unconfirmed one as UNKNOWN, never retrying it', async () => {
    const conversation = withStatus('assigned', 8);
    h.sandbox.inject({ match: `/v2/conversations/${conversation.conversation_id}/messages`, fault: { kind: 'status', status: 503 }, times: 1 });
    const res = await h.query<Reply>(REPLY, { id: ticketId(conversation), body: 'Hello?', agentId: globalId('FreshchatTicketingUser', activeAgent().id) });
    expect(res.data!.freshchatReplyToTicket).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', writeOutcome: 'UNKNOWN' });
    expect(writes()).toEqual([`POST /v2/conversations/${conversation.conversation_id}/messages`]);
  });
});
