import type { FreshchatSetTicketingUserAvailabilityPayloadResolvers, MutationResolvers } from '../__generated__/resolvers-types.js';
import { requestAgentDeletion, setAgentAvailability } from '../writes/agents.js';
import { createContact, deleteContact, updateContact } from '../writes/contacts.js';

/** The writes of docs/design.md#writes-and-idempotency, at the root so that they run one after another. */
export const Mutation: MutationResolvers = {
  freshchatCreateUser: (_root, args, ctx) => createContact(ctx, args),
  freshchatUpdateUser: (_root, args, ctx) => updateContact(ctx, args),
  freshchatDeleteUser: (_root, args, ctx) => deleteContact(ctx, args),
  freshchatSetTicketingUserAvailability: (_root, args, ctx) => setAgentAvailability(ctx, args),
  freshchatDeleteTicketingUser: (_root, args, ctx) => requestAgentDeletion(ctx, args),
};

/** The agent is read after the change (its loader forgot it), or on replay: a read, never a write. */
export const FreshchatSetTicketingUserAvailabilityPayload: FreshchatSetTicketingUserAvailabilityPayloadResolvers = {
  ticketingUser: ({ agent }, _args, ctx) => (agent === null ? null : ctx.loadersOf(agent.accountId).agents.get(agent.remoteId)),
};
