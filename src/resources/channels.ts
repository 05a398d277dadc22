/**
 * Freshchat channels (`/v2/channels`; Freshchat's UI and docs also call them topics): the queue a
 * conversation belongs to (its `channel_id`), and what `freshchatCreateTicket(channelId:)` names. A
 * small catalog, read whole and joined in memory like groups and roles. Freshchat-only (no unified
 * model has them) and read-only: Freshchat's tokens have no channel scope.
 */
import { createCatalog, type Catalog } from '../loaders/catalog.js';
import type { ResourceDeps } from '../loaders/paged-list.js';
import type { ChannelModel } from '../models.js';
import { idOf, remote, text } from './fields.js';
import { toMessageParts, type MessagePart } from './message-parts.js';
import type { FreshchatClient } from '../freshchat/client.js';
import { pageDecoder, type Page, type PageQuery } from '../freshchat/page.js';
import type { Links, Pagination } from '../freshchat/wire.js';

/** docs/freshchat-api.md, channels: fields as Freshchat sends them. */
export interface Channel {
  id: string;
  name: string;
  icon?: { url?: string | null } | null;
  tags?: string[] | null;
  public?: boolean | null;
  enabled?: boolean | null;
  source?: string | null;
  /** ISO-639, e.g. `en`; `GET /channels?locale=` filters on it. */
  locale?: string | null;
  updated_time?: string | null;
  welcome_message?: { message_parts?: MessagePart[] | null; message_type?: string | null } | null;
}

export interface ChannelList {
  channels: Channel[];
  pagination: Pagination;
  links?: Links;
}

const decodeChannels = pageDecoder<Channel>('channels', 'a channel list');

export const listChannels = (client: FreshchatClient, page: PageQuery): Promise<Page<Channel>> =>
  client.list('/channels', decodeChannels, {}, page);

export function toChannel(raw: Channel, accountId: string): ChannelModel {
  const welcome = toMessageParts(raw.welcome_message?.message_parts).flatMap((part) => (part.text === null ? [] : [part.text]));
  return {
    __typename: 'FreshchatChannel',
    id: idOf('FreshchatChannel', accountId, raw.id),
    remoteId: raw.id,
    accountId,
    name: text(raw.name) ?? raw.id,
    locale: text(raw.locale),
    enabled: raw.enabled ?? null,
    isPublic: raw.public ?? null,
    tags: (raw.tags ?? []).filter((tag): tag is string => typeof tag === 'string'),
    source: text(raw.source),
    iconUrl: text(raw.icon?.url),
    welcomeMessage: welcome.length === 0 ? null : welcome.join('\n'),
    updatedAt: text(raw.updated_time),
    remoteData: remote(raw),
  };
}

export function createChannelLoaders(deps: ResourceDeps): Catalog<ChannelModel> {
  const { shared } = deps;
  return createCatalog({ name: 'channels', fetchPage: (page) => listChannels(shared, page), map: (raw: Channel) => toChannel(raw, shared.account.id) }, deps);
}
