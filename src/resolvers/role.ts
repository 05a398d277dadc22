import type { FreshchatRoleResolvers } from '../__generated__/resolvers-types.js';
import { connectionScope } from '../relay/cursor.js';
import { arrayConnection, resolveReference } from './support.js';

/**
 * A Freshchat role. Freshchat cannot filter agents by role, so members come from one walk of the
 * agent list per request, shared by every role (and by any agent page the request already read).
 */
export const FreshchatRole: FreshchatRoleResolvers = {
  __resolveReference: (ref, ctx) => resolveReference(ctx, ref.id, 'FreshchatRole'),

  async members(role, args, ctx) {
    const agents = await ctx.loadersOf(role.accountId).agents.all();
    const members = agents.filter((agent) => agent.roleRemoteId === role.remoteId);
    return arrayConnection(members, args, connectionScope(role.accountId, `role:${role.remoteId}:members`));
  },
};
