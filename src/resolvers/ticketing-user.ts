import type { FreshchatTicketingUserResolvers } from '../__generated__/resolvers-types.js';
import type { GroupModel } from '../models.js';
import { connectionScope } from '../relay/cursor.js';
import { arrayConnection, resolveReference } from './support.js';

/** A Freshchat agent: its role and groups are joined in memory against the per-account catalogs. */
export const FreshchatTicketingUser: FreshchatTicketingUserResolvers = {
  __resolveReference: (ref, ctx) => resolveReference(ctx, ref.id, 'FreshchatTicketingUser'),

  role: (agent, _args, ctx) => (agent.roleRemoteId === null ? null : ctx.loadersOf(agent.accountId).roles.get(agent.roleRemoteId)),

  groups(agent, args, ctx) {
    const scope = connectionScope(agent.accountId, `agent:${agent.remoteId}:groups`);
    return arrayConnection(args, scope, ctx.maxCursorOffset, async () => {
      const { groups } = ctx.loadersOf(agent.accountId);
      const found = await Promise.all(agent.groupRemoteIds.map((id) => groups.get(id)));
      return found.filter((group): group is GroupModel => group !== null);
    });
  },
};
