import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { badUserInput } from '../errors.js';

/** The namespace root (DESIGN §3.2): never a bare `Query.users`, which would collide across helpdesks. */
export const Query: QueryResolvers = {
  freshchat(_parent, { accountId }, ctx) {
    if (accountId == null) return { account: ctx.accounts.defaultAccount };
    const account = ctx.accounts.get(accountId);
    if (!account) throw badUserInput(`\`accountId\` ${JSON.stringify(accountId)} is not a linked Freshchat account`, { argument: 'accountId' });
    return { account };
  },
};
