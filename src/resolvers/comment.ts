import type { FreshchatCommentResolvers } from '../__generated__/resolvers-types.js';
import { resolveReference } from './support.js';

/**
 * A Freshchat message: its author is joined through the request's agent or contact loader, which
 * batches and deduplicates, so a thread costs one call per distinct author at most, not one per message.
 */
export const FreshchatComment: FreshchatCommentResolvers = {
  __resolveReference: (ref, ctx) => resolveReference(ctx, ref.id, 'FreshchatComment'),

  agent: (comment, _args, ctx) => (comment.agentRemoteId === null ? null : ctx.loadersOf(comment.accountId).agents.get(comment.agentRemoteId)),
  contact: (comment, _args, ctx) =>
    comment.contactRemoteId === null ? null : ctx.loadersOf(comment.accountId).contacts.get(comment.contactRemoteId),
  ticket: (comment, _args, ctx) => ctx.loadersOf(comment.accountId).tickets.get(comment.ticketRemoteId),
};
