import type { FreshchatTicketingUserResolvers } from '../__generated__/resolvers-types.js';
import type { GroupModel } from '../models.js';
import { connectionScope } from '../relay/cursor.js';
import { arrayConnection, loadersOf, referenceOf } from './support.js';

/** A Freshchat agent: its role and groups are joined in memory against the per-account catalogs. */
export const FreshchatTicketingUser: FreshchatTicketingUserResolvers = {
  __resolveReference(ref, ctx) {
    const entity = referenceOf(ctx, ref.id, 'FreshchatTicketingUser');
    return entity ? entity.loaders.agent.load(entity.remoteId) : null;
  },

  role: (agent, _args, ctx) => (agent.roleRemoteId === null ? null : loadersOf(ctx, agent.accountId).role(agent.roleRemoteId)),

  groups(agent, args, ctx) {
    const scope = connectionScope(agent.accountId, `agent:${agent.remoteId}:groups`);
    return arrayConnection(args, scope, ctx.maxCursorOffset, async () => {
      const loaders = loadersOf(ctx, agent.accountId);
      const groups = await Promise.all(agent.groupRemoteIds.map((id) => loaders.group(id)));
      return groups.filter((group): group is GroupModel => group !== null);
    });
  },
};
