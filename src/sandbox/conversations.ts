import type * as Freshchat from '../resources/wire.js';
import type { Random } from './random.js';
import { DAY_MS, iso } from './vocab.js';

/** A Freshchat topic (`channel_id`) as conversations need it; ./channels.ts makes it a whole channel. */
export interface Topic {
  id: string;
  name: string;
}

/** The seeded conversations, and each one's messages oldest first (the endpoint serves them reversed). */
export interface ConversationData {
  topics: Topic[];
  conversations: Freshchat.Conversation[];
  /** conversation_id → messages, oldest first. */
  messages: Record<string, Freshchat.Message[]>;
  /** user id → conversation ids, in the order `GET /users/{id}/conversations` lists them. */
  byUser: Record<string, string[]>;
}

/** The statuses Freshchat documents, and the two waiting states Freshworks' own SDK sets. */
export const CONVERSATION_STATUSES = ['assigned', 'resolved', 'waiting on customer', 'new', 'reopened', 'waiting on internal team'] as const;

/**
 * Which contacts have conversations and what each conversation looks like follow indexes, so every
 * seed has the shapes tests rely on. Conversation k (counted over the whole dataset) has status
 * `CONVERSATION_STATUSES[k % 6]`; the first three are the long threads.
 */
export const conversationShape = {
  /** Contacts #1, #11, #21, … have conversations. */
  hasConversations: (contact: number) => contact % 10 === 1,
  /** Contact #1 has 4 (the long threads among them); the others 1 to 3. */
  count: (contact: number) => (contact === 1 ? 4 : 1 + (Math.floor(contact / 10) % 3)),
  /** Threads longer than a page: 120 (3 pages of 50), 51 (2 pages), 50 (exactly 1). */
  messageCount: (k: number) => [120, 51, 50][k] ?? (k % 17 === 5 ? 75 : 1 + ((k * 7) % 12)),
  status: (k: number) => CONVERSATION_STATUSES[k % CONVERSATION_STATUSES.length]!,
  /** Agent messages at these positions are private notes. */
  privateNote: (m: number) => m % 5 === 3,
} as const;

const TOPIC_NAMES = ['Support', 'Billing', 'Sales'] as const;
const OPENERS = ['Hi, my order has not arrived yet.', 'I cannot log in to my account.', 'Can I change my plan?', 'The app crashes on start.'];
const USER_LINES = ['Thanks, that helps.', 'It still does not work.', 'Here is what I see.', 'Any update?', 'Great, thank you!'];
const AGENT_LINES = ['Let me check that for you.', 'Could you try again now?', 'I have escalated this.', 'That is fixed now.'];
const NOTES = ['Customer is on the legacy plan.', 'Checked the logs: timeout upstream.', 'Refund approved by billing.'];
const PRIORITIES = ['Low', 'Medium', 'High', 'Urgent'] as const;

interface Context {
  rng: Random;
  appId: string;
  botId: string;
  agents: readonly Freshchat.Agent[];
  groups: readonly Freshchat.Group[];
}

export function createConversations(
  rng: Random,
  appId: string,
  users: readonly Freshchat.User[],
  agents: readonly Freshchat.Agent[],
  groups: readonly Freshchat.Group[],
): ConversationData {
  const topics = TOPIC_NAMES.map((name) => ({ id: rng.uuid(), name }));
  const ctx: Context = { rng, appId, botId: rng.uuid(), agents: agents.filter((a) => !a.is_deactivated), groups };
  const data: ConversationData = { topics, conversations: [], messages: {}, byUser: {} };
  users.forEach((user, i) => {
    if (!conversationShape.hasConversations(i)) return;
    for (let j = 0; j < conversationShape.count(i); j += 1) {
      const k = data.conversations.length;
      const conversation = createConversation(ctx, k, user, rng.pick(topics).id);
      const messages = createMessages(ctx, k, conversation);
      conversation.updated_time = messages.at(-1)?.created_time ?? conversation.created_time;
      data.conversations.push(conversation);
      data.messages[conversation.conversation_id] = messages;
      (data.byUser[user.id] ??= []).push(conversation.conversation_id);
    }
  });
  return data;
}

function createConversation(ctx: Context, k: number, user: Freshchat.User, channelId: string): Freshchat.Conversation {
  const { rng } = ctx;
  const status = conversationShape.status(k);
  const agent = status === 'new' ? undefined : rng.pick(ctx.agents);
  const groupId = agent?.groups?.[0] ?? (k % 2 === 0 ? rng.pick(ctx.groups).id : undefined);
  const internalId = 1_019_183_591_791_880 + k;
  const created = Date.parse(user.created_time ?? iso(0)) + rng.int(1, 60) * DAY_MS + rng.int(0, DAY_MS - 1);
  return {
    conversation_id: rng.uuid(),
    conversation_internal_id: internalId,
    app_id: ctx.appId,
    channel_id: channelId,
    status,
    ...(agent ? { assigned_agent_id: agent.id } : {}),
    ...(groupId ? { assigned_group_id: groupId } : {}),
    user_id: user.id,
    skill_id: 0,
    properties: { priority: rng.pick(PRIORITIES), ...(k % 3 === 0 ? { cf_order_id: `#${rng.int(1000, 99_999)}` } : {}) },
    url: `https://sandbox.myfreshworks.com/crm/messaging/a/${ctx.appId}/inbox/open/0/conversation/${internalId}`,
    created_time: iso(created),
    updated_time: iso(created),
  };
}

function createMessages(ctx: Context, k: number, conversation: Freshchat.Conversation): Freshchat.Message[] {
  const count = conversationShape.messageCount(k);
  const messages: Freshchat.Message[] = [];
  let time = Date.parse(conversation.created_time!);
  for (let m = 0; m < count; m += 1) {
    const last = m === count - 1 && conversation.status === 'resolved';
    const message = last ? systemMessage(ctx, conversation, 'Conversation was resolved', { isResolved: 'true' }) : authored(ctx, conversation, m);
    messages.push({ ...message, created_time: iso(time) });
    time += ctx.rng.int(1, 30) * 60_000;
  }
  return messages;
}

function base(ctx: Context, conversation: Freshchat.Conversation): Freshchat.Message {
  const internal = String(conversation.conversation_internal_id);
  return {
    id: ctx.rng.uuid(),
    conversation_id: conversation.conversation_id,
    app_id: ctx.appId,
    channel_id: conversation.channel_id ?? null,
    freshchat_conversation_id: internal,
    user_id: conversation.user_id ?? null,
    interaction_id: `${internal}-${Date.parse(conversation.created_time!)}`,
  };
}

/** Who writes message m: the contact on even positions; the agent (or the bot while unassigned) on odd ones. */
function authored(ctx: Context, conversation: Freshchat.Conversation, m: number): Freshchat.Message {
  const { rng } = ctx;
  const message = base(ctx, conversation);
  if (m % 2 === 0) {
    const parts: Freshchat.MessagePart[] = [{ text: { content: m === 0 ? rng.pick(OPENERS) : rng.pick(USER_LINES) } }];
    if (m % 7 === 2) parts.push({ image: { url: `https://cdn.example.com/uploads/${rng.hex(16)}.png` } });
    if (m % 11 === 4) parts.splice(0, 1, fileOf(rng));
    return { ...message, actor_type: 'user', actor_id: conversation.user_id ?? null, message_type: 'normal', message_source: 'web', message_parts: parts };
  }
  const agentId = conversation.assigned_agent_id;
  if (!agentId) return botMessage(ctx, message);
  if (conversationShape.privateNote(m)) {
    return { ...message, actor_type: 'agent', actor_id: agentId, message_type: 'private', message_source: 'web', message_parts: [{ text: { content: rng.pick(NOTES) } }] };
  }
  const parts: Freshchat.MessagePart[] = [{ text: { content: rng.pick(AGENT_LINES) } }];
  if (m % 9 === 1) parts.push({ url_button: { url: 'https://help.example.com/articles/42', label: 'Read the guide', target: '_blank' } });
  return { ...message, actor_type: 'agent', actor_id: agentId, message_type: 'normal', message_source: 'web', message_parts: parts };
}

function botMessage(ctx: Context, message: Freshchat.Message): Freshchat.Message {
  const button = (label: string) => ({ quick_reply_button: { label, custom_reply_text: label, payload: label.toLowerCase() } });
  return {
    ...message,
    actor_type: 'bot',
    actor_id: ctx.botId,
    message_type: 'normal',
    message_source: 'API',
    message_parts: [{ text: { content: 'What can we help you with?' } }],
    reply_parts: [{ collection: { sub_parts: [button('Orders'), button('Billing'), button('Something else')] } }],
  };
}

function systemMessage(ctx: Context, conversation: Freshchat.Conversation, content: string, meta: Record<string, string>): Freshchat.Message {
  return {
    ...base(ctx, conversation),
    actor_type: 'system',
    actor_id: ctx.appId,
    message_type: 'system',
    message_source: 'SYSTEM',
    message_parts: [{ text: { content } }],
    meta_data: meta,
  };
}

function fileOf(rng: Random): Freshchat.MessagePart {
  const name = `receipt-${rng.int(1000, 9999)}.pdf`;
  return { file: { url: `https://cdn.example.com/uploads/${name}`, name, content_type: 'application/pdf', file_size_in_bytes: rng.int(10_000, 900_000) } };
}
