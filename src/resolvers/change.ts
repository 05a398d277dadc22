import { GraphQLError } from 'graphql';
import type {
  FreshchatQueryResolvers,
  HelpdeskChangeConnectionResolvers,
  HelpdeskChangeResolvers,
} from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { loadOwnNode } from './support.js';

/** `freshchat { changes }` (docs/sync.md): the account's change log, read from the registry database. */
export const changes: NonNullable<FreshchatQueryResolvers['changes']> = ({ accountId }, args, ctx) => syncOf(ctx).feed.page(accountId, args);

/**
 * A change's object as it is now, through the request's batched loaders (so the agents of a page of
 * changes cost what `nodes(ids:)` would): null once deleted, and null with the error when the read fails.
 */
export const HelpdeskChange: HelpdeskChangeResolvers = {
  object: (change, _args, ctx) => (change.kind === 'DELETED' ? null : loadOwnNode(ctx.loadersOf(change.accountId), change.objectId)),
};

export const HelpdeskChangeConnection: HelpdeskChangeConnectionResolvers = {
  totalCount: (connection) => connection.count(),
};

function syncOf(ctx: Context) {
  if (ctx.sync) return ctx.sync;
  // Only a server built without src/bootstrap.ts (some tests) has no change log.
  throw new GraphQLError('The change log is not configured on this server.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
