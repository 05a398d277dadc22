import type { FreshchatRoleResolvers } from '../__generated__/resolvers-types.js';
import { connectionScope } from '../relay/cursor.js';
import { arrayConnection, loadersOf, referenceOf } from './support.js';

/**
 * A Freshchat role. Freshchat cannot filter agents by role, so members come from one walk of the
 * agent list per request, shared by every role (and by any agent page the request already read).
 */
export const FreshchatRole: FreshchatRoleResolvers = {
  __resolveReference(ref, ctx) {
    const entity = referenceOf(ctx, ref.id, 'FreshchatRole');
    return entity ? entity.loaders.role(entity.remoteId) : null;
  },

  members(role, args, ctx) {
    const scope = connectionScope(role.accountId, `role:${role.remoteId}:members`);
    return arrayConnection(args, scope, ctx.maxCursorOffset, async () => {
      const agents = await loadersOf(ctx, role.accountId).allAgents();
      return agents.filter((agent) => agent.roleRemoteId === role.remoteId);
    });
  },
};
