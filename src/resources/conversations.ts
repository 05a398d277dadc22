/**
 * Freshchat conversations (`/v2/conversations/{id}`, `/v2/users/{id}/conversations`;
 * docs/freshchat-api.md#conversations) as unified Tickets: the wire type, decoding,
 * mapping and the per-request loaders, in one place. Freshchat has no list of all conversations.
 */
import DataLoader from 'dataloader';
import { z } from 'zod';
import type { ResourceDeps } from '../loaders/paged-list.js';
import type { CustomFieldModel, TicketModel, TicketStatusModel } from '../models.js';
import { isNotFound, toPathSegment, type FreshchatClient } from '../freshchat/client.js';
import { decoderOf } from '../freshchat/decode.js';
import { idOf, remote, text } from './fields.js';
import { objectPath } from './writes.js';

// ---- wire ----

/** docs/freshchat-api.md#conversations: the bare object `GET /conversations/{id}` answers. */
export interface Conversation {
  conversation_id: string;
  conversation_internal_id?: number | string | null;
  app_id?: string | null;
  channel_id?: string | null;
  /** `new`, `assigned`, `resolved`, `reopened`, or a custom state such as `waiting on customer`. */
  status?: string | null;
  assigned_agent_id?: string | null;
  assigned_group_id?: string | null;
  assigned_org_agent_id?: string | null;
  assigned_org_group_id?: string | null;
  user_id?: string | null;
  /** The old Swagger shape; live objects carry `user_id`. */
  users?: { id?: string | null }[] | null;
  skill_id?: number | null;
  properties?: Record<string, unknown> | null;
  url?: string | null;
  org_contact_id?: string | null;
  created_by?: string | null;
  created_time?: string | null;
  updated_time?: string | null;
  /** Seen in product events only; mapped when a REST answer carries it too. */
  resolved_time?: string | null;
}

/** docs/freshchat-api.md#conversations: ids only, unpaged. */
export interface ConversationIdList {
  conversations: { id: string }[];
}

export const decodeConversation = decoderOf<Conversation>(z.looseObject({ conversation_id: z.string() }), 'a conversation');
const decodeConversationIds = decoderOf<ConversationIdList>(
  z.looseObject({ conversations: z.array(z.looseObject({ id: z.string() })) }),
  'a list of conversations',
);

// ---- unified model ----

/** docs/design.md#conversations-and-messages. Freshworks' own SDK sets `waiting on customer` / `waiting on internal team`. */
export function toTicketStatus(raw: string | null | undefined): TicketStatusModel | null {
  const status = raw?.trim().toLowerCase();
  if (status === 'new' || status === 'reopened' || status === 'reopen') return 'OPEN';
  if (status === 'assigned') return 'IN_PROGRESS';
  if (status === 'resolved') return 'RESOLVED';
  if (status?.startsWith('waiting')) return 'WAITING';
  return null;
}

const properties = (raw: Record<string, unknown> | null | undefined): CustomFieldModel[] =>
  Object.entries(raw ?? {}).map(([name, value]) => ({
    name,
    value: value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value),
  }));

const internalId = (raw: number | string | null | undefined): string | null =>
  typeof raw === 'number' ? String(raw) : text(raw);

export function toTicket(raw: Conversation, accountId: string): TicketModel {
  return {
    __typename: 'FreshchatTicket',
    id: idOf('FreshchatTicket', accountId, raw.conversation_id),
    remoteId: raw.conversation_id,
    accountId,
    status: toTicketStatus(raw.status),
    freshchatStatus: text(raw.status),
    subject: null,
    contactRemoteId: text(raw.user_id) ?? text(raw.users?.[0]?.id),
    assigneeRemoteId: text(raw.assigned_agent_id),
    groupRemoteId: text(raw.assigned_group_id),
    createdAt: text(raw.created_time),
    updatedAt: text(raw.updated_time),
    resolvedAt: text(raw.resolved_time),
    url: text(raw.url),
    channelId: text(raw.channel_id),
    internalId: internalId(raw.conversation_internal_id),
    properties: properties(raw.properties),
    remoteData: remote(raw),
  };
}

// ---- endpoints ----

export const getConversation = (client: FreshchatClient, id: string): Promise<Conversation | null> =>
  client.find('/conversations', id, decodeConversation);

/** A contact Freshchat does not know has no conversations (404 here is not an upstream fault). */
export async function listConversationIds(client: FreshchatClient, userId: string): Promise<string[]> {
  const segment = toPathSegment(userId);
  if (segment === undefined) return [];
  try {
    const { conversations } = await client.read(`/users/${segment}/conversations`, decodeConversationIds);
    return [...new Set(conversations.map((c) => c.id))];
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/** docs/freshchat-api.md#conversations: a partial update; "" unassigns is not used here. */
export interface ConversationUpdate {
  status?: string;
  assigned_agent_id?: string;
  assigned_group_id?: string;
}

/** docs/freshchat-api.md#conversations: `channel_id`, the contact in `users` and the first messages are required. */
export interface ConversationCreate {
  channel_id: string;
  users: { id: string }[];
  messages: MessageWrite[];
}

/** docs/freshchat-api.md#messages */
export interface MessageWrite {
  message_parts: { text: { content: string } }[];
  message_type: 'normal' | 'private';
  actor_type: 'agent' | 'user';
  actor_id: string;
}

/** `PUT /conversations/{id}`: 200 with the updated conversation. Sent once. */
export const updateConversation = (client: FreshchatClient, id: string, body: ConversationUpdate): Promise<Conversation> =>
  client.write('PUT', objectPath('/conversations', id), body, decodeConversation);

/** `POST /conversations`: 200 (or 201/202, docs/freshchat-api.md#conversations) with the conversation. Sent once. */
export const createConversation = (client: FreshchatClient, body: ConversationCreate): Promise<Conversation> =>
  client.write('POST', '/conversations', body, decodeConversation);

// ---- loaders ----

export interface ConversationLoaders {
  /** One conversation by Freshchat id: each distinct id one GET per request (Freshchat has no batch read). */
  get(remoteId: string): Promise<TicketModel | null>;
  /** A contact's conversation ids, in Freshchat's order: one call per contact per request. */
  ofContact(userRemoteId: string): Promise<string[]>;
  /** Seeds `get` with a conversation already read (e.g. the answer of a write). */
  prime(ticket: TicketModel): void;
  /** Forgets a conversation (changed by a write whose answer does not show it), so it is read again. */
  forget(remoteId: string): void;
  /** Forgets a contact's conversation list (a conversation was created for them). */
  forgetContact(userRemoteId: string): void;
}

export function createConversationLoaders(deps: ResourceDeps): ConversationLoaders {
  const { client } = deps;
  const byId = new DataLoader<string, TicketModel | null>((ids) =>
    Promise.all(ids.map((id) => getConversation(client, id).then((raw) => (raw === null ? null : toTicket(raw, client.account.id)), toError))),
  );
  const byContact = new DataLoader<string, string[]>((ids) =>
    Promise.all(ids.map((id) => listConversationIds(client, id).catch(toError))),
  );
  return {
    get: (remoteId) => byId.load(remoteId),
    ofContact: (userRemoteId) => byContact.load(userRemoteId),
    prime: (ticket) => void byId.clear(ticket.remoteId).prime(ticket.remoteId, ticket),
    forget: (remoteId) => void byId.clear(remoteId),
    forgetContact: (userRemoteId) => void byContact.clear(userRemoteId),
  };
}

/** DataLoader's contract: an Error per failed key, so one failing conversation fails only its callers. */
const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
