import type { FreshchatQueryResolvers } from '../__generated__/resolvers-types.js';
import type { NodeModel } from '../models.js';
import { connectionScope } from '../relay/cursor.js';
import { changes } from './change.js';
import { checkTicketingUserFilter, checkUserFilter } from './filters.js';
import { arrayConnection, loadOwnNode, pagedConnection, requireRemoteId } from './support.js';

/** The lists and lookups of one Freshchat account. */
export const FreshchatQuery: FreshchatQueryResolvers = {
  accountId: ({ accountId }) => accountId,

  users({ accountId }, { filter, ...args }, ctx) {
    checkUserFilter(filter);
    const scope = connectionScope(accountId, 'users', { ...filter });
    return pagedConnection(args, scope, ctx.maxCursorOffset, (slice) => ctx.loadersOf(accountId).contacts.window({ ...filter }, slice));
  },
  ticketingUsers({ accountId }, { filter, ...args }, ctx) {
    checkTicketingUserFilter(filter);
    const scope = connectionScope(accountId, 'ticketingUsers', { ...filter });
    const groupRemoteId = filter?.groupId == null ? null : requireRemoteId(filter.groupId, accountId, 'FreshchatGroup', 'filter.groupId');
    const agentFilter = { groupRemoteId, isActive: filter?.isActive, availability: filter?.availability };
    return pagedConnection(args, scope, ctx.maxCursorOffset, (slice) => ctx.loadersOf(accountId).agents.window(agentFilter, slice));
  },
  groups: ({ accountId }, args, ctx) =>
    arrayConnection(args, connectionScope(accountId, 'groups'), ctx.maxCursorOffset, () => ctx.loadersOf(accountId).groups.all()),
  roles: ({ accountId }, args, ctx) =>
    arrayConnection(args, connectionScope(accountId, 'roles'), ctx.maxCursorOffset, () => ctx.loadersOf(accountId).roles.all()),
  channels: ({ accountId }, args, ctx) =>
    arrayConnection(args, connectionScope(accountId, 'channels'), ctx.maxCursorOffset, () => ctx.loadersOf(accountId).channels.all()),

  user: ({ accountId }, { id }, ctx) => ctx.loadersOf(accountId).contacts.get(requireRemoteId(id, accountId, 'FreshchatUser')),
  ticketingUser: ({ accountId }, { id }, ctx) =>
    ctx.loadersOf(accountId).agents.get(requireRemoteId(id, accountId, 'FreshchatTicketingUser')),
  group: ({ accountId }, { id }, ctx) => ctx.loadersOf(accountId).groups.get(requireRemoteId(id, accountId, 'FreshchatGroup')),
  role: ({ accountId }, { id }, ctx) => ctx.loadersOf(accountId).roles.get(requireRemoteId(id, accountId, 'FreshchatRole')),
  ticket: ({ accountId }, { id }, ctx) => ctx.loadersOf(accountId).tickets.get(requireRemoteId(id, accountId, 'FreshchatTicket')),

  node: ({ accountId }, { id }, ctx) => loadOwnNode(ctx.loadersOf(accountId), id),
  // One promise per item, not Promise.all: graphql-js settles each item alone, so a failed load nulls
  // only its own item (contract v2). The cast: codegen's item type cannot say "a promise of T or null".
  nodes: ({ accountId }, { ids }, ctx) => ids.map((id) => loadOwnNode(ctx.loadersOf(accountId), id) as Promise<NodeModel>),

  changes,
};
