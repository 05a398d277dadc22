/**
 * Freshchat groups (`/v2/groups`, docs/freshchat-api.md#groups, docs/freshchat-api.md#groups) as unified Groups: a small catalog,
 * read whole and joined in memory (docs/design.md#the-upstream-call-budget).
 */
import { createCatalog, type Catalog } from '../loaders/catalog.js';
import type { ResourceDeps } from '../loaders/paged-list.js';
import type { GroupModel } from '../models.js';
import { idOf, remote, text } from './fields.js';
import type { FreshchatClient } from '../freshchat/client.js';
import { pageDecoder, type Page, type PageQuery } from '../freshchat/page.js';
import type { Links, Pagination } from '../freshchat/wire.js';

/** docs/freshchat-api.md#groups */
export interface Group {
  id: string;
  name: string;
  description?: string | null;
  routing_type?: string | null;
  chat_group_id?: string | null;
  routing_logic?: string | null;
  standard_response_ids?: string[] | null;
  sla_policy_ids?: string[] | null;
  business_calendar_id?: string | null;
}

export interface GroupList {
  groups: Group[];
  pagination: Pagination;
  links?: Links;
}

const decodeGroups = pageDecoder<Group>('groups', 'a group list');

export const listGroups = (client: FreshchatClient, page: PageQuery): Promise<Page<Group>> => client.list('/groups', decodeGroups, {}, page);

export function toGroup(raw: Group, accountId: string): GroupModel {
  return {
    __typename: 'FreshchatGroup',
    id: idOf('FreshchatGroup', accountId, raw.id),
    remoteId: raw.id,
    accountId,
    // A group without a name would break `name: String!`; its id is the most useful stand-in.
    name: text(raw.name) ?? raw.id,
    description: text(raw.description),
    routingType: text(raw.routing_type),
    remoteData: remote(raw),
  };
}

export function createGroupLoaders(deps: ResourceDeps): Catalog<GroupModel> {
  const { shared } = deps;
  return createCatalog(
    {
      name: 'groups',
      fetchPage: (page) => listGroups(shared, page),
      map: (raw: Group) => toGroup(raw, shared.account.id),
    },
    deps,
  );
}
