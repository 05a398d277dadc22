import type { FreshchatQueryResolvers } from '../__generated__/resolvers-types.js';
import { connectionScope } from '../relay/cursor.js';
import { checkTicketingUserFilter, checkUserFilter } from './filters.js';
import { arrayConnection, loadOwnNode, pagedConnection, requireRemoteId } from './support.js';

/** The lists and lookups of one Freshchat account. */
export const FreshchatQuery: FreshchatQueryResolvers = {
  accountId: ({ account }) => account.id,

  users(namespace, { filter, ...args }, ctx) {
    checkUserFilter(filter);
    const scope = connectionScope(namespace.account.id, 'users', { ...filter });
    return pagedConnection(args, scope, ctx.maxCursorOffset, (slice) => ctx.loaders(namespace.account).usersWindow({ ...filter }, slice));
  },
  ticketingUsers(namespace, { filter, ...args }, ctx) {
    const { account } = namespace;
    checkTicketingUserFilter(filter);
    const scope = connectionScope(account.id, 'ticketingUsers', { ...filter });
    const groupRemoteId = filter?.groupId == null ? null : requireRemoteId(filter.groupId, account.id, 'FreshchatGroup', 'filter.groupId');
    const agentFilter = { groupRemoteId, isActive: filter?.isActive, availability: filter?.availability };
    return pagedConnection(args, scope, ctx.maxCursorOffset, (slice) => ctx.loaders(account).agentsWindow(agentFilter, slice));
  },
  groups: ({ account }, args, ctx) =>
    arrayConnection(args, connectionScope(account.id, 'groups'), ctx.maxCursorOffset, () => ctx.loaders(account).groups()),
  roles: ({ account }, args, ctx) =>
    arrayConnection(args, connectionScope(account.id, 'roles'), ctx.maxCursorOffset, () => ctx.loaders(account).roles()),

  user: ({ account }, { id }, ctx) => ctx.loaders(account).user.load(requireRemoteId(id, account.id, 'FreshchatUser')),
  ticketingUser: ({ account }, { id }, ctx) =>
    ctx.loaders(account).agent.load(requireRemoteId(id, account.id, 'FreshchatTicketingUser')),
  group: ({ account }, { id }, ctx) => ctx.loaders(account).group(requireRemoteId(id, account.id, 'FreshchatGroup')),
  role: ({ account }, { id }, ctx) => ctx.loaders(account).role(requireRemoteId(id, account.id, 'FreshchatRole')),

  node: ({ account }, { id }, ctx) => loadOwnNode(ctx.loaders(account), id),
  nodes: ({ account }, { ids }, ctx) => Promise.all(ids.map((id) => loadOwnNode(ctx.loaders(account), id))),
};
