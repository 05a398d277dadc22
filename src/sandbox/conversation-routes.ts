/**
 * Conversations and messages (docs/freshchat-api.md#conversations, docs/freshchat-api.md#messages): read one conversation,
 * a contact's conversation ids, a conversation's messages newest first with `link` paging and no
 * total; send a message, update status and assignment, create a conversation. There is no
 * top-level conversation list: `GET /conversations` is a 405, as only POST exists on that path.
 */
import { randomUUID } from 'node:crypto';
import type * as Freshchat from '../resources/wire.js';
import { asObject } from './body.js';
import { CONVERSATION_STATUSES } from './conversations.js';
import type { Dataset } from './dataset.js';
import { ApiError, type Endpoints, type Exchange } from './http.js';
import { invalidValue, parsePageRequest, type PagingOptions } from './paging.js';
import { validateMessage } from './message-input.js';
import type { WebhookEvent } from './webhooks.js';

/** Announces a conversation write as a Freshchat webhook (./webhooks.ts); a no-op when none is wanted. */
export type Announce = (event: WebhookEvent) => void;

export function routeConversations(
  parts: readonly string[],
  ex: Exchange,
  dataset: Dataset,
  paging: PagingOptions,
  announce: Announce = () => undefined,
): Endpoints | undefined {
  const [name, id, sub, ...extra] = parts;
  if (extra.length > 0) return undefined;
  if (name === 'users' && id && sub === 'conversations') {
    return { GET: { scope: 'conversation:read', body: () => ({ conversations: conversationIdsOf(dataset, id).map((cid) => ({ id: cid })) }) } };
  }
  if (name !== 'conversations') return undefined;
  if (id === undefined) return { POST: { scope: 'conversation:create', body: (input) => createConversation(dataset, input, announce) } };
  if (sub === undefined) {
    return {
      GET: { scope: 'conversation:read', body: () => conversationOf(dataset, id) },
      PUT: { scope: 'conversation:update', body: (input) => updateConversation(dataset, conversationOf(dataset, id), input, announce) },
    };
  }
  if (sub !== 'messages') return undefined;
  return {
    GET: { scope: 'message:get', body: () => messagePage(dataset, conversationOf(dataset, id), ex.url, paging) },
    POST: { scope: 'message:create', body: (input) => postMessage(dataset, conversationOf(dataset, id), input, announce) },
  };
}

function conversationOf(dataset: Dataset, id: string): Freshchat.Conversation {
  const found = dataset.conversations.find((c) => c.conversation_id === id);
  if (!found) throw new ApiError(404, 'CONVERSATION_NOT_FOUND', 'This conversation does not exist');
  return found;
}

function conversationIdsOf(dataset: Dataset, userId: string): string[] {
  if (!dataset.users.some((u) => u.id === userId)) throw new ApiError(404, 'USER_NOT_FOUND', 'This user does not exist');
  return Object.hasOwn(dataset.byUser, userId) ? [...dataset.byUser[userId]!] : [];
}

/**
 * Newest first; `link` names the next page only while one follows (Freshworks' SDK stops when it is
 * absent); a page past the end is an empty list. The link carries page and size only: what
 * Freshchat's `from_time` would mean inside it is not established (docs/freshchat-api.md#messages).
 */
function messagePage(dataset: Dataset, conversation: Freshchat.Conversation, url: URL, paging: PagingOptions): Freshchat.MessageList {
  const { page, itemsPerPage } = parsePageRequest(url.searchParams, paging);
  const newestFirst = [...(dataset.messages[conversation.conversation_id] ?? [])].reverse();
  const start = (page - 1) * itemsPerPage;
  const messages = newestFirst.slice(start, start + itemsPerPage);
  if (start + itemsPerPage >= newestFirst.length) return { messages };
  const href = `${url.pathname}?page=${page + 1}&items_per_page=${itemsPerPage}`;
  return { messages, link: { href, rel: 'next' } };
}

/** Writes happen now, but never before the thread's last message, so the order stays the order of writes. */
function nextTime(after: string | null | undefined): string {
  const last = after ? Date.parse(after) : 0;
  return new Date(Math.max(Date.now(), last + 1)).toISOString();
}

function postMessage(dataset: Dataset, conversation: Freshchat.Conversation, input: unknown, announce: Announce): Freshchat.Message {
  const thread = (dataset.messages[conversation.conversation_id] ??= []);
  const fields = validateMessage(dataset, conversation.user_id ?? null, asObject(input));
  const message: Freshchat.Message = {
    id: randomUUID(),
    conversation_id: conversation.conversation_id,
    app_id: conversation.app_id ?? null,
    channel_id: conversation.channel_id ?? null,
    user_id: conversation.user_id ?? null,
    message_source: 'API',
    ...fields,
    created_time: nextTime(thread.at(-1)?.created_time),
  };
  thread.push(message);
  conversation.updated_time = message.created_time ?? null;
  announce({
    actor: { actor_type: message.actor_type ?? 'user', actor_id: message.actor_id ?? null },
    action: 'message_create',
    action_time: message.created_time ?? new Date().toISOString(),
    data: { message },
  });
  return message;
}

/** "" or " " unassigns (Pipedream sends a space); anything else must name an agent / group of the account. */
function assignment(value: unknown, exists: (id: string) => boolean, what: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidValue(`${what} must be a string`);
  if (value.trim() === '') return null;
  if (!exists(value)) throw invalidValue(`${what} does not name an existing ${what.startsWith('assigned_agent') ? 'agent' : 'group'}`);
  return value;
}

function statusOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(CONVERSATION_STATUSES as readonly string[]).includes(value)) {
    throw invalidValue(`status must be one of: ${CONVERSATION_STATUSES.join(', ')}`);
  }
  return value;
}

function propertiesOf(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  return asObject(value);
}

interface ConversationChanges {
  status?: string;
  agent?: string | null;
  group?: string | null;
  properties?: Record<string, unknown>;
}

function readChanges(dataset: Dataset, body: Record<string, unknown>): ConversationChanges {
  const changes: ConversationChanges = {};
  const status = statusOf(body.status);
  const agent = assignment(body.assigned_agent_id, (id) => dataset.agents.some((a) => a.id === id && !a.is_deactivated), 'assigned_agent_id');
  const group = assignment(body.assigned_group_id, (id) => dataset.groups.some((g) => g.id === id), 'assigned_group_id');
  const properties = propertiesOf(body.properties);
  if (status !== undefined) changes.status = status;
  if (agent !== undefined) changes.agent = agent;
  if (group !== undefined) changes.group = group;
  if (properties !== undefined) changes.properties = properties;
  return changes;
}

function apply(conversation: Freshchat.Conversation, changes: ConversationChanges): void {
  if (changes.agent !== undefined) conversation.assigned_agent_id = changes.agent;
  if (changes.group !== undefined) conversation.assigned_group_id = changes.group;
  if (changes.properties) conversation.properties = { ...conversation.properties, ...changes.properties };
  if (changes.status !== undefined) conversation.status = changes.status;
}

/** A partial update: status, assignment, properties. `assigned` needs an agent (docs/freshchat-api.md#conversations). */
function updateConversation(dataset: Dataset, conversation: Freshchat.Conversation, input: unknown, announce: Announce): Freshchat.Conversation {
  const changes = readChanges(dataset, asObject(input));
  if (Object.keys(changes).length === 0) throw invalidValue('Nothing to update: give status, assigned_agent_id, assigned_group_id or properties');
  const agentAfter = changes.agent !== undefined ? changes.agent : (conversation.assigned_agent_id ?? null);
  if (changes.status === 'assigned' && !agentAfter) throw invalidValue('status assigned needs assigned_agent_id');
  const before = { ...conversation };
  apply(conversation, changes);
  conversation.updated_time = nextTime(conversation.updated_time);
  for (const event of conversationEvents(before, conversation)) announce(event);
  return conversation;
}

/** The webhooks Freshchat sends for an update: an assignment, then a resolution or a reopen. */
function conversationEvents(before: Freshchat.Conversation, after: Freshchat.Conversation): WebhookEvent[] {
  const at = after.updated_time ?? new Date().toISOString();
  const actor = { actor_type: 'agent', actor_id: after.assigned_agent_id ?? null };
  const stub = { ...after };
  const events: WebhookEvent[] = [];
  const agent = (c: Freshchat.Conversation) => c.assigned_agent_id ?? null;
  const group = (c: Freshchat.Conversation) => c.assigned_group_id ?? null;
  if (agent(before) !== agent(after) || group(before) !== group(after)) {
    const assignment = {
      assignor: 'agent',
      assignor_id: actor.actor_id,
      to_agent_id: agent(after) ?? '',
      to_group_id: group(after) ?? '',
      from_agent_id: agent(before) ?? '',
      from_group_id: group(before) ?? '',
      conversation: stub,
    };
    events.push({ actor, action: 'conversation_assignment', action_time: at, data: { assignment } });
  }
  if (before.status !== after.status && after.status === 'resolved') {
    events.push({ actor, action: 'conversation_resolution', action_time: at, data: { resolve: { resolver: 'agent', resolver_id: actor.actor_id, conversation: stub } } });
  } else if (before.status === 'resolved' && after.status !== 'resolved') {
    events.push({ actor, action: 'conversation_reopen', action_time: at, data: { reopen: { reopener: 'agent', reopener_id: actor.actor_id, conversation: stub } } });
  }
  return events;
}

/** `channel_id`, `messages` and the contact in `users` are required (docs/freshchat-api.md#conversations); 200 with the conversation. */
function createConversation(dataset: Dataset, input: unknown, announce: Announce): Freshchat.Conversation {
  const body = asObject(input);
  if (typeof body.channel_id !== 'string' || !dataset.channels.some((c) => c.id === body.channel_id)) {
    throw invalidValue('channel_id must name an existing channel');
  }
  const userId = Array.isArray(body.users) ? (body.users[0] as { id?: unknown } | undefined)?.id : undefined;
  if (typeof userId !== 'string' || !dataset.users.some((u) => u.id === userId)) throw invalidValue('users must name an existing user');
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw invalidValue('messages must hold at least one message');
  const messages = body.messages.map((m) => validateMessage(dataset, userId, asObject(m)));
  const changes = readChanges(dataset, body);
  const now = nextTime(null);
  const conversation: Freshchat.Conversation = {
    conversation_id: randomUUID(),
    conversation_internal_id: 1_019_183_591_791_880 + dataset.conversations.length,
    app_id: dataset.configuration.app_id ?? null,
    channel_id: body.channel_id,
    status: changes.agent ? 'assigned' : 'new',
    user_id: userId,
    skill_id: 0,
    properties: {},
    created_time: now,
    updated_time: now,
  };
  if (changes.status === 'assigned' && !changes.agent) throw invalidValue('status assigned needs assigned_agent_id');
  apply(conversation, changes);
  dataset.conversations.push(conversation);
  (dataset.byUser[userId] ??= []).push(conversation.conversation_id);
  dataset.messages[conversation.conversation_id] = [];
  for (const fields of messages) postMessage(dataset, conversation, fields, announce);
  return conversation;
}
