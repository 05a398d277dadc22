import type { FreshchatUserResolvers } from '../__generated__/resolvers-types.js';
import { referenceOf } from './support.js';

/** A Freshchat contact: every field is mapped eagerly; only entity resolution needs code. */
export const FreshchatUser: FreshchatUserResolvers = {
  __resolveReference(ref, ctx) {
    const entity = referenceOf(ctx, ref.id, 'FreshchatUser');
    return entity ? entity.loaders.user.load(entity.remoteId) : null;
  },
};
