import type { FreshchatGroupResolvers } from '../__generated__/resolvers-types.js';
import { connectionScope } from '../relay/cursor.js';
import { pagedConnection, resolveReference } from './support.js';

/** A Freshchat group: its members are Freshchat's agent list filtered by the group, paged upstream. */
export const FreshchatGroup: FreshchatGroupResolvers = {
  __resolveReference: (ref, ctx) => resolveReference(ctx, ref.id, 'FreshchatGroup'),

  members(group, args, ctx) {
    const scope = connectionScope(group.accountId, `group:${group.remoteId}:members`);
    const filter = { groupRemoteId: group.remoteId };
    return pagedConnection(args, scope, ctx.maxCursorOffset, (slice) => ctx.loadersOf(group.accountId).agents.window(filter, slice));
  },
};
