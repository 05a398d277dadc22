import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { accountNotFound } from '../errors.js';

/** The namespace root (docs/design.md#the-freshchat-layer): never a bare `Query.users`, which would collide across helpdesks. */
export const Query: QueryResolvers = {
  /** The account named by the argument, else the x-freshchat-account-id header, else the default (docs/design.md#linked-accounts). */
  async freshchat(_parent, { accountId }, ctx) {
    const account = await ctx.accounts.choose(accountId);
    if (!account) throw accountNotFound(accountId ?? null);
    return { account };
  },
};
