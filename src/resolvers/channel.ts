import type { FreshchatChannelResolvers } from '../__generated__/resolvers-types.js';
import { resolveReference } from './support.js';

/** A Freshchat channel (topic): every field comes mapped from the channel list; only the entity key resolves. */
export const FreshchatChannel: FreshchatChannelResolvers = {
  __resolveReference: (ref, ctx) => resolveReference(ctx, ref.id, 'FreshchatChannel'),
};
