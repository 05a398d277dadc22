import type { FreshchatQueryResolvers } from '../__generated__/resolvers-types.js';
import type { NodeModel } from '../models.js';
import { connectionScope } from '../relay/cursor.js';
import { checkTicketingUserFilter, checkUserFilter } from './filters.js';
import { arrayConnection, loadOwnNode, pagedConnection, requireRemoteId } from './support.js';

/** The lists and lookups of one Freshchat account. */
export const FreshchatQuery: FreshchatQueryResolvers = {
  accountId: ({ account }) => account.id,

  users({ account }, { filter, ...args }, ctx) {
    checkUserFilter(filter);
    const scope = connectionScope(account.id, 'users', { ...filter });
    return pagedConnection(args, scope, ctx.maxCursorOffset, (slice) => ctx.loaders(account).contacts.window({ ...filter }, slice));
  },
  ticketingUsers({ account }, { filter, ...args }, ctx) {
    checkTicketingUserFilter(filter);
    const scope = connectionScope(account.id, 'ticketingUsers', { ...filter });
    const groupRemoteId = filter?.groupId == null ? null : requireRemoteId(filter.groupId, account.id, 'FreshchatGroup', 'filter.groupId');
    const agentFilter = { groupRemoteId, isActive: filter?.isActive, availability: filter?.availability };
    return pagedConnection(args, scope, ctx.maxCursorOffset, (slice) => ctx.loaders(account).agents.window(agentFilter, slice));
  },
  groups: ({ account }, args, ctx) =>
    arrayConnection(args, connectionScope(account.id, 'groups'), ctx.maxCursorOffset, () => ctx.loaders(account).groups.all()),
  roles: ({ account }, args, ctx) =>
    arrayConnection(args, connectionScope(account.id, 'roles'), ctx.maxCursorOffset, () => ctx.loaders(account).roles.all()),
  channels: ({ account }, args, ctx) =>
    arrayConnection(args, connectionScope(account.id, 'channels'), ctx.maxCursorOffset, () => ctx.loaders(account).channels.all()),

  user: ({ account }, { id }, ctx) => ctx.loaders(account).contacts.get(requireRemoteId(id, account.id, 'FreshchatUser')),
  ticketingUser: ({ account }, { id }, ctx) =>
    ctx.loaders(account).agents.get(requireRemoteId(id, account.id, 'FreshchatTicketingUser')),
  group: ({ account }, { id }, ctx) => ctx.loaders(account).groups.get(requireRemoteId(id, account.id, 'FreshchatGroup')),
  role: ({ account }, { id }, ctx) => ctx.loaders(account).roles.get(requireRemoteId(id, account.id, 'FreshchatRole')),
  ticket: ({ account }, { id }, ctx) => ctx.loaders(account).tickets.get(requireRemoteId(id, account.id, 'FreshchatTicket')),

  node: ({ account }, { id }, ctx) => loadOwnNode(ctx.loaders(account), id),
  // One promise per item, not Promise.all: graphql-js settles each item alone, so a failed load nulls
  // only its own item (contract v2). The cast: codegen's item type cannot say "a promise of T or null".
  nodes: ({ account }, { ids }, ctx) => ids.map((id) => loadOwnNode(ctx.loaders(account), id) as Promise<NodeModel>),
};
