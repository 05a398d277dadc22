import type { FreshchatUserResolvers } from '../__generated__/resolvers-types.js';
import { resolveReference } from './support.js';

/** A Freshchat contact: every field is mapped eagerly; only entity resolution needs code. */
export const FreshchatUser: FreshchatUserResolvers = {
  __resolveReference: (ref, ctx) => resolveReference(ctx, ref.id, 'FreshchatUser'),
};
