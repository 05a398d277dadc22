import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createTicket, replyToTicket, updateTicket } from '../writes/tickets.js';

/** The conversation writes of docs/design.md#conversations-and-messages, beside the other mutations at the root. */
export const TicketMutations: Pick<MutationResolvers, 'freshchatReplyToTicket' | 'freshchatUpdateTicket' | 'freshchatCreateTicket'> = {
  freshchatReplyToTicket: (_root, args, ctx) => replyToTicket(ctx, args),
  freshchatUpdateTicket: (_root, args, ctx) => updateTicket(ctx, args),
  freshchatCreateTicket: (_root, args, ctx) => createTicket(ctx, args),
};
