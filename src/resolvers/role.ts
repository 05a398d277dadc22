import type { FreshchatRoleResolvers } from '../__generated__/resolvers-types.js';
import { connectionScope } from '../relay/cursor.js';
import { arrayConnection, resolveReference } from './support.js';

/**
 * A Freshchat role. Freshchat cannot filter agents by role, so members come from one walk of the
 * agent list per request, shared by every role (and by any agent page the request already read).
 */
export const FreshchatRole: FreshchatRoleResolvers = {
  __resolveReference: (ref, ctx) => resolveReference(ctx, ref.id, 'FreshchatRole'),

  members(role, args, ctx) {
    const scope = connectionScope(role.accountId, `role:${role.remoteId}:members`);
    return arrayConnection(args, scope, ctx.maxCursorOffset, async () => {
      const agents = await ctx.loadersOf(role.accountId).agents.all();
      return agents.filter((agent) => agent.roleRemoteId === role.remoteId);
    });
  },
};
