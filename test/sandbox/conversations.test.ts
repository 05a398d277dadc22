import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Freshchat from '../../src/resources/wire.js';
import { createDataset, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { CONVERSATION_STATUSES } from '../../src/sandbox/conversations.js';
import { get, type JsonResponse } from './client.js';

const dataset = createDataset();
const threadOf = (id: string) => dataset.messages[id] ?? [];
const allMessages = Object.values(dataset.messages).flat();
const partKinds = (m: Freshchat.Message) => (m.message_parts ?? []).map((p) => Object.keys(p)[0]);

async function send<T = Freshchat.ErrorBody>(sandbox: Sandbox, method: string, path: string, body: unknown): Promise<JsonResponse<T>> {
  const res = await fetch(`${sandbox.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

describe('seeded conversations', () => {
  it('are byte-identical for the same seed', () => {
    expect(JSON.stringify(createDataset(1).conversations)).toBe(JSON.stringify(dataset.conversations));
    expect(JSON.stringify(createDataset(1).messages)).toBe(JSON.stringify(dataset.messages));
  });

  it('use every status, the two waiting states included', () => {
    expect(new Set(dataset.conversations.map((c) => c.status))).toEqual(new Set(CONVERSATION_STATUSES));
  });

  it('assign conversations to agents and groups, and leave new ones without an agent', () => {
    const fresh = dataset.conversations.filter((c) => c.status === 'new');
    expect(fresh.every((c) => c.assigned_agent_id === undefined)).toBe(true);
    const assigned = dataset.conversations.filter((c) => c.status === 'assigned');
    expect(assigned.every((c) => dataset.agents.some((a) => a.id === c.assigned_agent_id))).toBe(true);
    expect(dataset.conversations.some((c) => dataset.groups.some((g) => g.id === c.assigned_group_id))).toBe(true);
  });

  it('hold threads longer than a page of 50', () => {
    const lengths = dataset.conversations.map((c) => threadOf(c.conversation_id).length);
    expect(lengths.filter((n) => n > 50).length).toBeGreaterThanOrEqual(2);
    expect(lengths).toContain(50);
  });

  it('hold private notes by agents, images, files, URL buttons and quick replies', () => {
    expect(allMessages.some((m) => m.message_type === 'private' && m.actor_type === 'agent')).toBe(true);
    const kinds = new Set(allMessages.flatMap(partKinds));
    expect([...kinds].sort()).toEqual(['file', 'image', 'text', 'url_button']);
    expect(allMessages.some((m) => m.reply_parts?.[0]?.collection?.sub_parts?.[0]?.quick_reply_button)).toBe(true);
    expect(new Set(allMessages.map((m) => m.actor_type))).toEqual(new Set(['user', 'agent', 'bot', 'system']));
  });

  it('keep each thread in time order', () => {
    for (const conversation of dataset.conversations) {
      const times = threadOf(conversation.conversation_id).map((m) => m.created_time!);
      expect(times).toEqual([...times].sort());
    }
  });
});

describe('conversation endpoints', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  const long = () => sandbox.dataset.conversations.find((c) => threadOf(c.conversation_id).length === 120)!;

  it('answers GET /conversations/{id} with the bare conversation, 404 when unknown', async () => {
    const conversation = sandbox.dataset.conversations[3]!;
    expect((await get(sandbox, `/conversations/${conversation.conversation_id}`)).body).toEqual(conversation);
    expect((await get(sandbox, '/conversations/nope')).status).toBe(404);
  });

  it('has no list of all conversations', async () => {
    const res = await get(sandbox, '/conversations');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it("lists a contact's conversation ids only, unpaged; 404 for an unknown contact", async () => {
    const [userId, ids] = Object.entries(sandbox.dataset.byUser)[0]!;
    expect((await get(sandbox, `/users/${userId}/conversations`)).body).toEqual({ conversations: ids.map((id) => ({ id })) });
    expect((await get(sandbox, '/users/nobody/conversations')).status).toBe(404);
  });

  it('pages messages newest first with a link while more follow, and no total', async () => {
    const id = long().conversation_id;
    const newestFirst = [...threadOf(id)].reverse().map((m) => m.id);
    const seen: string[] = [];
    let path: string | null = `/conversations/${id}/messages?page=1&items_per_page=50`;
    while (path !== null) {
      const res: JsonResponse<Freshchat.MessageList> = await get(sandbox, path);
      expect(Object.keys(res.body).sort()).toEqual(res.body.link ? ['link', 'messages'] : ['messages']);
      seen.push(...res.body.messages.map((m) => m.id));
      path = res.body.link ? res.body.link.href.replace('/v2', '') : null;
    }
    expect(seen).toEqual(newestFirst);
  });

  it('clamps items_per_page to 50 and answers a page past the end with no messages', async () => {
    const id = long().conversation_id;
    expect((await get<Freshchat.MessageList>(sandbox, `/conversations/${id}/messages?items_per_page=500`)).body.messages).toHaveLength(50);
    expect((await get<Freshchat.MessageList>(sandbox, `/conversations/${id}/messages?page=9&items_per_page=50`)).body).toEqual({ messages: [] });
  });

  it('sends a private note as an agent, which then comes first', async () => {
    const conversation = sandbox.dataset.conversations.find((c) => c.assigned_agent_id)!;
    const body = { message_parts: [{ text: { content: 'Note to self' } }], message_type: 'private', actor_type: 'agent', actor_id: conversation.assigned_agent_id };
    const res = await send<Freshchat.Message>(sandbox, 'POST', `/conversations/${conversation.conversation_id}/messages`, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...body, conversation_id: conversation.conversation_id, id: expect.any(String) });
    const page = await get<Freshchat.MessageList>(sandbox, `/conversations/${conversation.conversation_id}/messages?items_per_page=1`);
    expect(page.body.messages[0]?.id).toBe(res.body.id);
  });

  it.each([
    ['no parts', { message_parts: [], actor_type: 'agent' }],
    ['a private note by the contact', { message_parts: [{ text: { content: 'x' } }], actor_type: 'user', message_type: 'private' }],
    ['an unknown agent', { message_parts: [{ text: { content: 'x' } }], actor_type: 'agent', actor_id: 'nobody' }],
    ['a part of two kinds', { message_parts: [{ text: { content: 'x' }, image: { url: 'u' } }], actor_type: 'bot' }],
  ])('refuses a message with %s (400)', async (_, body) => {
    const conversation = sandbox.dataset.conversations[0]!;
    const res = await send(sandbox, 'POST', `/conversations/${conversation.conversation_id}/messages`, body);
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('INVALID_VALUE');
  });

  it('resolves, reassigns and refuses an unknown status or `assigned` without an agent', async () => {
    const conversation = sandbox.dataset.conversations.find((c) => c.status === 'new')!;
    const path = `/conversations/${conversation.conversation_id}`;
    expect((await send(sandbox, 'PUT', path, { status: 'closed' })).status).toBe(400);
    expect((await send(sandbox, 'PUT', path, { status: 'assigned' })).status).toBe(400);
    const agent = sandbox.dataset.agents.find((a) => !a.is_deactivated)!;
    const assigned = await send<Freshchat.Conversation>(sandbox, 'PUT', path, { status: 'assigned', assigned_agent_id: agent.id });
    expect(assigned.body).toMatchObject({ status: 'assigned', assigned_agent_id: agent.id });
    expect((await send<Freshchat.Conversation>(sandbox, 'PUT', path, { status: 'resolved' })).body.status).toBe('resolved');
    expect((await get<Freshchat.Conversation>(sandbox, path)).body.status).toBe('resolved');
  });

  it("creates a conversation for a contact on a topic, listed among the contact's", async () => {
    const user = sandbox.dataset.users[5]!;
    const body = {
      channel_id: sandbox.dataset.channels[0]!.id,
      users: [{ id: user.id }],
      messages: [{ message_parts: [{ text: { content: 'Hello from the API' } }], actor_type: 'user', actor_id: user.id }],
    };
    const res = await send<Freshchat.Conversation>(sandbox, 'POST', '/conversations', body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'new', user_id: user.id, channel_id: body.channel_id });
    const ids = await get<Freshchat.ConversationIdList>(sandbox, `/users/${user.id}/conversations`);
    expect(ids.body.conversations.map((c) => c.id)).toContain(res.body.conversation_id);
    const messages = await get<Freshchat.MessageList>(sandbox, `/conversations/${res.body.conversation_id}/messages`);
    expect(messages.body.messages.map((m) => m.message_parts)).toEqual([body.messages[0]!.message_parts]);
  });

  it('refuses a conversation without a known topic (400)', async () => {
    const res = await send(sandbox, 'POST', '/conversations', { channel_id: 'nope', users: [{ id: sandbox.dataset.users[0]!.id }], messages: [] });
    expect(res.status).toBe(400);
  });
});
