/**
 * Freshchat messages (`/v2/conversations/{id}/messages`; docs/freshchat-api.md#messages) as unified Comments: the wire type, decoding, mapping and the per-request history loader.
 */
import DataLoader from 'dataloader';
import { FreshchatError } from '../errors.js';
import type { ResourceDeps } from '../loaders/paged-list.js';
import type { CommentAuthorTypeModel, CommentModel, MessagePartModel } from '../models.js';
import { isNotFound, toPathSegment, type FreshchatClient } from '../freshchat/client.js';
import { decoderOf, withId } from '../freshchat/decode.js';
import type { MessageWrite } from './conversations.js';
import { idOf, remote, text } from './fields.js';
import { toMessageParts, type MessagePart } from './message-parts.js';
import { objectPath } from './writes.js';
import { pageDecoder, type Page, type PageQuery } from '../freshchat/page.js';
import { toQueryString, type Query } from '../freshchat/request.js';

// ---- wire ----

export type { MessagePart } from './message-parts.js';

export type ActorType = 'user' | 'agent' | 'bot' | 'system';
export type MessageType = 'normal' | 'private' | 'system';

/** docs/freshchat-api.md#messages */
export interface Message {
  id: string;
  conversation_id?: string | null;
  app_id?: string | null;
  channel_id?: string | null;
  freshchat_conversation_id?: string | null;
  freshchat_channel_id?: string | null;
  actor_type?: ActorType | string | null;
  actor_id?: string | null;
  org_actor_id?: string | null;
  user_id?: string | null;
  message_type?: MessageType | string | null;
  message_source?: string | null;
  message_parts?: MessagePart[] | null;
  reply_parts?: MessagePart[] | null;
  in_reply_to?: { message_id?: string | null } | null;
  meta_data?: Record<string, unknown> | null;
  interaction_id?: string | null;
  created_time?: string | null;
}

/** docs/freshchat-api.md#messages: newest first; `link` only while more pages follow; no total. */
export interface MessageList {
  messages: Message[];
  link?: { href: string; rel?: string } | null;
}

const decodeMessages = pageDecoder<Message>('messages', 'a message list', 'link');

// ---- unified model ----

const AUTHOR_TYPES: Readonly<Record<string, CommentAuthorTypeModel>> = { user: 'CONTACT', agent: 'AGENT', bot: 'BOT', system: 'SYSTEM' };

/** The text parts (and the text of email parts), one per line; null when there is none. */
function bodyOf(parts: readonly MessagePartModel[]): string | null {
  const lines = parts.filter((part) => part.kind === 'TEXT' || part.kind === 'EMAIL').flatMap((part) => (part.text === null ? [] : [part.text]));
  return lines.length === 0 ? null : lines.join('\n');
}

/** A message's key: Freshchat cannot find a message without its conversation, so the key names both. */
export const commentKey = (conversationId: string, messageId: string): string => `${conversationId}/${messageId}`;

export function parseCommentKey(key: string): { conversationId: string; messageId: string } | null {
  const at = key.lastIndexOf('/');
  if (at <= 0 || at === key.length - 1) return null;
  return { conversationId: key.slice(0, at), messageId: key.slice(at + 1) };
}

export function toComment(raw: Message, conversationId: string, accountId: string): CommentModel {
  const parts = toMessageParts(raw.message_parts);
  const actorType = text(raw.actor_type);
  const authorType = actorType === null ? null : (AUTHOR_TYPES[actorType.toLowerCase()] ?? null);
  const actorId = text(raw.actor_id);
  return {
    __typename: 'FreshchatComment',
    id: idOf('FreshchatComment', accountId, commentKey(conversationId, raw.id)),
    remoteId: raw.id,
    accountId,
    ticketRemoteId: conversationId,
    body: bodyOf(parts),
    isPrivate: raw.message_type === 'private',
    authorType,
    agentRemoteId: authorType === 'AGENT' ? actorId : null,
    contactRemoteId: authorType === 'CONTACT' ? actorId : null,
    createdAt: text(raw.created_time),
    messageType: text(raw.message_type),
    actorType,
    actorId,
    messageSource: text(raw.message_source),
    parts,
    replyParts: toMessageParts(raw.reply_parts),
    inReplyToId: text(raw.in_reply_to?.message_id),
    remoteData: remote(raw),
  };
}

// ---- endpoints ----

/** A conversation id that cannot be a path segment names no conversation: NOT_FOUND without a call. */
export async function listMessages(client: FreshchatClient, conversationId: string, query: Query, page: PageQuery): Promise<Page<Message>> {
  const segment = toPathSegment(conversationId);
  if (segment === undefined) throw new FreshchatError('NOT_FOUND', 'No such conversation');
  return client.list(`/conversations/${segment}/messages`, decodeMessages, query, page);
}

/** One page of a conversation's messages; the loaders share one per distinct query within a request. */
export type MessagePageFetcher = (query: Query, page: PageQuery) => Promise<Page<Message>>;

type PageRequest = { query: Query; page: PageQuery };

/**
 * Reads pages newest first, one after the other (Freshchat says only whether a next page exists, in
 * `link`), until `enough` of them are read or Freshchat names no next page. A message that shifted
 * onto the next page while a new one arrived is kept once. A conversation Freshchat does not know
 * has no messages.
 */
async function readNewestFirst(fetchPage: MessagePageFetcher, pageSize: number, enough: (count: number) => boolean): Promise<Message[]> {
  const newestFirst = new Map<string, Message>();
  const asked = new Set<string>();
  let next: PageRequest | null = { query: {}, page: { page: 1, items_per_page: pageSize } };
  try {
    while (next !== null && !enough(newestFirst.size) && !asked.has(toQueryString({ ...next.query, ...next.page }))) {
      asked.add(toQueryString({ ...next.query, ...next.page }));
      const page: Page<Message> = await fetchPage(next.query, next.page);
      for (const message of page.items) if (!newestFirst.has(message.id)) newestFirst.set(message.id, message);
      next = page.next === null || page.items.length === 0 ? null : toNextRequest(page.next, next.page);
    }
  } catch (error) {
    if (isNotFound(error) && asked.size === 1) return [];
    throw error;
  }
  return [...newestFirst.values()];
}

/** The whole history, oldest first: every page, ceil(messages / pageSize) calls. */
export async function readHistory(fetchPage: MessagePageFetcher, pageSize: number): Promise<Message[]> {
  return (await readNewestFirst(fetchPage, pageSize, () => false)).reverse();
}

/** The newest `count` messages, newest first: only the pages that hold them. */
export async function readLatest(fetchPage: MessagePageFetcher, pageSize: number, count: number): Promise<Message[]> {
  if (count === 0) return [];
  return (await readNewestFirst(fetchPage, pageSize, (n) => n >= count)).slice(0, count);
}

/** The next page as `link.href` names it; its other parameters (`from_time`) are sent back as given. */
function toNextRequest(link: Query, current: PageQuery): { query: Query; page: PageQuery } {
  const { page, items_per_page: perPage, ...query } = link;
  const number = (value: unknown, fallback: number) => (typeof value === 'string' && /^[1-9]\d{0,6}$/.test(value) ? Number(value) : fallback);
  return { query, page: { page: number(page, current.page + 1), items_per_page: number(perPage, current.items_per_page) } };
}

const decodeMessage = decoderOf<Message>(withId, 'a message');

/** `POST /conversations/{id}/messages`: 200 with the message sent. Sent once. */
export const sendMessage = (client: FreshchatClient, conversationId: string, body: MessageWrite): Promise<Message> =>
  client.write('POST', `${objectPath('/conversations', conversationId)}/messages`, body, decodeMessage);

// ---- loaders ----

export interface MessageLoaders {
  /** A conversation's whole history, oldest first: read once per request however often it is asked for. */
  history(conversationId: string): Promise<CommentModel[]>;
  /** A conversation's newest `count` messages, newest first, from the pages the history read would start with. */
  latest(conversationId: string, count: number): Promise<CommentModel[]>;
  /** One message by its key (see `commentKey`), from its conversation's history. */
  get(key: string): Promise<CommentModel | null>;
  /** Forgets a conversation's history (after a write to it), so the next read sees the write. */
  forget(conversationId: string): void;
}

export function createMessageLoaders(deps: ResourceDeps): MessageLoaders {
  const { client, pageSize } = deps;
  const accountId = client.account.id;
  // Every page goes through one loader keyed by conversation and query, so `latest` and `history`
  // of one conversation share the pages they both read.
  const requests = new Map<string, { id: string; query: Query; page: PageQuery }>();
  const fetchPage = (key: string): Promise<Page<Message> | Error> => {
    const { id, query, page } = requests.get(key)!;
    return listMessages(client, id, query, page).catch(toError);
  };
  const pages = new DataLoader<string, Page<Message>>((keys) => Promise.all(keys.map(fetchPage)));
  const pagesOf = (id: string): MessagePageFetcher => (query, page) => {
    const key = `${id}\n${toQueryString({ ...query, ...page })}`;
    if (!requests.has(key)) requests.set(key, { id, query, page });
    return pages.load(key);
  };
  const toComments = (id: string) => (messages: Message[]) => messages.map((m) => toComment(m, id, accountId));
  const histories = new DataLoader<string, CommentModel[]>((ids) =>
    Promise.all(ids.map((id) => readHistory(pagesOf(id), pageSize).then(toComments(id), toError))),
  );
  return {
    history: (conversationId) => histories.load(conversationId),
    latest: (conversationId, count) => readLatest(pagesOf(conversationId), pageSize, count).then(toComments(conversationId)),
    async get(key) {
      const parsed = parseCommentKey(key);
      if (parsed === null) return null;
      const history = await histories.load(parsed.conversationId);
      return history.find((comment) => comment.remoteId === parsed.messageId) ?? null;
    },
    forget(conversationId) {
      histories.clear(conversationId);
      for (const [key, request] of requests) if (request.id === conversationId) pages.clear(key);
    },
  };
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
