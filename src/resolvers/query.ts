import type { QueryResolvers } from '../__generated__/resolvers-types.js';

/** The namespace root (docs/design.md#the-freshchat-layer): never a bare `Query.users`, which would collide across helpdesks. */
export const Query: QueryResolvers = {
  /**
   * The account named by the argument, else the x-freshchat-account-id header, else the default (docs/design.md#linked-accounts);
   * a malformed id, an account this caller may not use or a registry fault is an error here only.
   */
  async freshchat(_parent, { accountId }, ctx) {
    return { accountId: (await ctx.accounts.choose(accountId)).account.id };
  },
};
