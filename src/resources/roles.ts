/**
 * Freshchat roles (`/v2/roles`, docs/freshchat-api.md#roles, docs/freshchat-api.md#roles) as unified Roles: a small catalog,
 * read whole and joined in memory (docs/design.md#the-upstream-call-budget).
 */
import { createCatalog, type Catalog } from '../loaders/catalog.js';
import type { ResourceDeps } from '../loaders/paged-list.js';
import type { RoleModel } from '../models.js';
import { idOf, remote, text } from './fields.js';
import type { FreshchatClient } from '../freshchat/client.js';
import { pageDecoder, type Page, type PageQuery } from '../freshchat/page.js';
import type { Links, Pagination } from '../freshchat/wire.js';

/** docs/freshchat-api.md#roles */
export interface Role {
  id: string;
  name: string;
  is_custom_role?: boolean | null;
  description?: string | null;
}

export interface RoleList {
  roles: Role[];
  pagination: Pagination;
  links?: Links;
}

const decodeRoles = pageDecoder<Role>('roles', 'a role list');

export const listRoles = (client: FreshchatClient, page: PageQuery): Promise<Page<Role>> => client.list('/roles', decodeRoles, {}, page);

export function toRole(raw: Role, accountId: string): RoleModel {
  return {
    __typename: 'FreshchatRole',
    id: idOf('FreshchatRole', accountId, raw.id),
    remoteId: raw.id,
    accountId,
    name: text(raw.name) ?? raw.id,
    description: text(raw.description),
    isCustom: raw.is_custom_role ?? null,
    remoteData: remote(raw),
  };
}

export function createRoleLoaders(deps: ResourceDeps): Catalog<RoleModel> {
  const { shared } = deps;
  return createCatalog(
    {
      name: 'roles',
      fetchPage: (page) => listRoles(shared, page),
      map: (raw: Role) => toRole(raw, shared.account.id),
    },
    deps,
  );
}
