import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Freshchat from '../../src/resources/wire.js';
import { FAST_FAULT_ENV, UPSTREAM_FAULTS, errorsAt } from '../support/upstream-faults.js';
import { globalId, startHarness, type Harness } from '../support/harness.js';

interface CommentPage {
  totalCount: number | null;
  edges: { cursor: string; node: { remoteId: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}
type Fc<T> = { freshchat: T };

const COMMENTS = `query ($id: ID!, $first: Int, $after: String) { freshchat { ticket(id: $id) {
  comments(first: $first, after: $after) { totalCount edges { cursor node { remoteId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
} } }`;

describe('tickets and comments over the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: FAST_FAULT_ENV });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.resetCalls();
    h.sandbox.clearFaults();
  });

  const data = () => h.sandbox.dataset;
  const thread = (id: string): Freshchat.Message[] => data().messages[id] ?? [];
  const conversationWith = (length: number) => data().conversations.find((c) => thread(c.conversation_id).length === length)!;
  const ticketId = (c: Freshchat.Conversation) => globalId('FreshchatTicket', c.conversation_id);
  const comments = async (conversation: Freshchat.Conversation, variables: Record<string, unknown> = {}) =>
    h.query<Fc<{ ticket: { comments: CommentPage | null } }>>(COMMENTS, { id: ticketId(conversation), ...variables });

  it("reads a contact's conversations with their people and group, mapping the status", async () => {
    const user = data().users[1]!;
    const res = await h.query<Fc<{ user: { tickets: { totalCount: number; nodes: Record<string, unknown>[] } } }>>(
      `query ($id: ID!) { freshchat { user(id: $id) { tickets(first: 10) { totalCount nodes {
        id remoteId status ... on FreshchatTicket { freshchatStatus } subject url createdAt
        contact { remoteId } assignee { remoteId } assignedGroup { remoteId }
      } } } } }`,
      { id: globalId('FreshchatUser', user.id) },
    );
    expect(res.errors).toBeUndefined();
    const expected = data().byUser[user.id]!.map((id) => data().conversations.find((c) => c.conversation_id === id)!);
    expect(res.data!.freshchat.user.tickets.totalCount).toBe(expected.length);
    expect(res.data!.freshchat.user.tickets.nodes).toEqual(
      expected.map((c) => ({
        id: ticketId(c),
        remoteId: c.conversation_id,
        status: { assigned: 'IN_PROGRESS', resolved: 'RESOLVED', 'waiting on customer': 'WAITING', new: 'OPEN' }[c.status!],
        freshchatStatus: c.status,
        subject: null,
        url: c.url,
        createdAt: c.created_time,
        contact: { remoteId: user.id },
        assignee: c.assigned_agent_id ? { remoteId: c.assigned_agent_id } : null,
        assignedGroup: c.assigned_group_id ? { remoteId: c.assigned_group_id } : null,
      })),
    );
  });

  it('serves comments oldest first, with the whole thread counted', async () => {
    const conversation = conversationWith(120);
    const page = (await comments(conversation, { first: 5 })).data!.freshchat.ticket.comments!;
    expect(page.edges.map((e) => e.node.remoteId)).toEqual(thread(conversation.conversation_id).slice(0, 5).map((m) => m.id));
    expect(page.totalCount).toBe(120);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('serves the latest comments newest first', async () => {
    const conversation = conversationWith(120);
    const res = await h.query<Fc<{ ticket: { latestComments: { remoteId: string }[] } }>>(
      `query ($id: ID!) { freshchat { ticket(id: $id) { latestComments(first: 3) { remoteId } } } }`,
      { id: ticketId(conversation) },
    );
    expect(res.data!.freshchat.ticket.latestComments.map((c) => c.remoteId)).toEqual(thread(conversation.conversation_id).slice(-3).reverse().map((m) => m.id));
  });

  it('pages forward through a long thread with no gap or duplicate', async () => {
    const conversation = conversationWith(120);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: CommentPage = (await comments(conversation, { first: 50, after })).data!.freshchat.ticket.comments!;
      seen.push(...page.edges.map((e) => e.node.remoteId));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(thread(conversation.conversation_id).map((m) => m.id));
  });

  it('keeps a cursor valid while a new message is appended, which then comes last', async () => {
    const conversation = conversationWith(51);
    const first = (await comments(conversation, { first: 40 })).data!.freshchat.ticket.comments!;
    const agent = data().agents.find((a) => !a.is_deactivated)!;
    const sent = await fetch(`${h.sandbox.baseUrl}/conversations/${conversation.conversation_id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message_parts: [{ text: { content: 'Appended' } }], actor_type: 'agent', actor_id: agent.id }),
    });
    const appended = (await sent.json()) as Freshchat.Message;
    const rest = (await comments(conversation, { first: 50, after: first.pageInfo.endCursor })).data!.freshchat.ticket.comments!;
    expect(rest.edges.map((e) => e.node.remoteId)).toEqual([...thread(conversation.conversation_id).slice(40).map((m) => m.id)]);
    expect(rest.edges.at(-1)?.node.remoteId).toBe(appended.id);
    expect(rest.totalCount).toBe(52);
  });

  it.each(['last: 5', 'before: "x"'])('has no %s on comments: paging is forward only, refused before any call', async (args) => {
    const res = await h.query(`query ($id: ID!) { freshchat { ticket(id: $id) { comments(${args}) { totalCount } } } }`, {
      id: ticketId(conversationWith(50)),
    });
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(h.upstreamCalls()).toBe(0);
  });

  it('refuses a comment cursor of another conversation with BAD_USER_INPUT, nulling only the comments', async () => {
    const other = (await comments(conversationWith(120), { first: 1 })).data!.freshchat.ticket.comments!;
    const res = await comments(conversationWith(50), { after: other.pageInfo.endCursor });
    expect(res.data).toEqual({ freshchat: { ticket: { comments: null } } });
    expect(errorsAt(res.errors)).toEqual([{ path: ['freshchat', 'ticket', 'comments'], code: 'BAD_USER_INPUT' }]);
  });

  it('maps message parts: text joined into body, private notes, images, files, buttons and quick replies', async () => {
    const all = data().conversations.flatMap((c) => thread(c.conversation_id).map((m) => ({ c, m })));
    const pick = (test: (m: Freshchat.Message) => boolean) => all.find(({ m }) => test(m))!;
    const cases = [
      pick((m) => m.message_type === 'private'),
      pick((m) => (m.message_parts ?? []).some((p) => p.image) && (m.message_parts ?? []).some((p) => p.text)),
      pick((m) => (m.message_parts ?? []).some((p) => p.file)),
      pick((m) => (m.reply_parts ?? []).length > 0),
      pick((m) => (m.message_parts ?? []).some((p) => p.url_button)),
    ];
    const ids = cases.map(({ c, m }) => globalId('FreshchatComment', `${c.conversation_id}/${m.id}`));
    const res = await h.query<Fc<{ nodes: Record<string, unknown>[] }>>(
      `query ($ids: [ID!]!) { freshchat { nodes(ids: $ids) { ... on FreshchatComment {
        remoteId body isPrivate authorType messageType
        parts { kind text url name contentType label target } replyParts { kind parts { kind label payload } }
      } } } }`,
      { ids },
    );
    expect(res.errors).toBeUndefined();
    const [note, image, file, quick, button] = res.data!.freshchat.nodes;
    expect(note).toMatchObject({ isPrivate: true, authorType: 'AGENT', messageType: 'private', body: expect.any(String) });
    expect(image).toMatchObject({ authorType: 'CONTACT', parts: [{ kind: 'TEXT' }, { kind: 'IMAGE', url: expect.stringMatching(/^https:/) }] });
    expect(image!.body).toBe(cases[1]!.m.message_parts![0]!.text!.content);
    expect(file).toMatchObject({ body: null, parts: [{ kind: 'FILE', name: expect.stringMatching(/\.pdf$/), contentType: 'application/pdf' }] });
    expect(quick).toMatchObject({ authorType: 'BOT', replyParts: [{ kind: 'COLLECTION', parts: [{ kind: 'QUICK_REPLY_BUTTON', label: 'Orders', payload: 'orders' }, {}, {}] }] });
    expect(button).toMatchObject({ parts: [{ kind: 'TEXT' }, { kind: 'URL_BUTTON', target: '_blank', label: 'Read the guide' }] });
  });

  it("joins each comment's author through the agent and contact loaders", async () => {
    const conversation = conversationWith(50);
    const res = await h.query<Fc<{ ticket: { comments: { nodes: { authorType: string; agent: { remoteId: string } | null; contact: { remoteId: string } | null }[] } } }>>(
      `query ($id: ID!) { freshchat { ticket(id: $id) { comments(first: 6) { nodes { authorType agent { remoteId } contact { remoteId } } } } } }`,
      { id: ticketId(conversation) },
    );
    const expected = thread(conversation.conversation_id).slice(0, 6).map((m) => ({
      authorType: { user: 'CONTACT', agent: 'AGENT', bot: 'BOT', system: 'SYSTEM' }[m.actor_type!],
      agent: m.actor_type === 'agent' ? { remoteId: m.actor_id } : null,
      contact: m.actor_type === 'user' ? { remoteId: m.actor_id } : null,
    }));
    expect(res.data!.freshchat.ticket.comments.nodes).toEqual(expected);
  });

  it('answers null for an unknown conversation and BAD_USER_INPUT for an id of another type', async () => {
    const res = await h.query(`query ($a: ID!, $b: ID!) { freshchat { a: ticket(id: $a) { id } b: ticket(id: $b) { id } } }`, {
      a: globalId('FreshchatTicket', 'no-such-conversation'),
      b: globalId('FreshchatUser', data().users[0]!.id),
    });
    expect(res.data).toEqual({ freshchat: { a: null, b: null } });
    expect(errorsAt(res.errors)).toEqual([{ path: ['freshchat', 'b'], code: 'BAD_USER_INPUT' }]);
  });

  it('nulls only the comments when the messages call fails, with the error at their path (contract v2)', async () => {
    const conversation = conversationWith(50);
    h.sandbox.inject({ match: `/v2/conversations/${conversation.conversation_id}/messages`, fault: { kind: 'status', status: 503 } });
    const res = await h.query<Fc<{ ticket: { remoteId: string; assignee: unknown; comments: unknown } }>>(
      `query ($id: ID!) { freshchat { ticket(id: $id) { remoteId assignee { remoteId } comments(first: 2) { totalCount } } } }`,
      { id: ticketId(conversation) },
    );
    expect(res.data!.freshchat.ticket).toEqual({ remoteId: conversation.conversation_id, assignee: { remoteId: conversation.assigned_agent_id }, comments: null });
    expect(errorsAt(res.errors)).toEqual([{ path: ['freshchat', 'ticket', 'comments'], code: 'UPSTREAM_UNAVAILABLE' }]);
  });

  // A 404 on these reads is an unknown conversation or contact: no messages, no tickets, not an error.
  describe.each(UPSTREAM_FAULTS.filter((row) => !row.name.startsWith('404')))('a $name', ({ fault, code }) => {
    it(`on the messages nulls only the comments, with ${code} at their path`, async () => {
      const conversation = conversationWith(50);
      h.sandbox.inject({ match: `/v2/conversations/${conversation.conversation_id}/messages`, fault });
      const res = await h.query<Fc<{ ticket: unknown }>>(
        `query ($id: ID!) { freshchat { ticket(id: $id) { remoteId status comments(first: 1) { totalCount } } } }`,
        { id: ticketId(conversation) },
      );
      expect(res.data!.freshchat.ticket).toEqual({ remoteId: conversation.conversation_id, status: 'WAITING', comments: null });
      expect(errorsAt(res.errors)).toEqual([{ path: ['freshchat', 'ticket', 'comments'], code }]);
    });

    it(`on a conversation nulls only that ticket, with ${code} at its path`, async () => {
      const [failing, other] = data().conversations.slice(20, 22);
      h.sandbox.inject({ match: `/v2/conversations/${failing!.conversation_id}`, fault });
      const res = await h.query(`query ($a: ID!, $b: ID!) { freshchat { a: ticket(id: $a) { remoteId } b: ticket(id: $b) { remoteId } } }`, {
        a: ticketId(failing!),
        b: ticketId(other!),
      });
      expect(res.data).toEqual({ freshchat: { a: null, b: { remoteId: other!.conversation_id } } });
      expect(errorsAt(res.errors)).toEqual([{ path: ['freshchat', 'a'], code }]);
    });
  });

  it('nulls only the tickets of a contact when the conversation list fails', async () => {
    const user = data().users[1]!;
    h.sandbox.inject({ match: `/v2/users/${user.id}/conversations`, fault: { kind: 'status', status: 500 } });
    const res = await h.query(`query ($id: ID!) { freshchat { user(id: $id) { remoteId tickets { totalCount } } } }`, {
      id: globalId('FreshchatUser', user.id),
    });
    expect(res.data).toEqual({ freshchat: { user: { remoteId: user.id, tickets: null } } });
    expect(errorsAt(res.errors)).toEqual([{ path: ['freshchat', 'user', 'tickets'], code: 'UPSTREAM_UNAVAILABLE' }]);
  });
});
