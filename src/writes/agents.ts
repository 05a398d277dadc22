/** Agent writes (docs/design.md#writes-and-idempotency): availability and deletion requests; creating or editing agents is not offered. */
import type {
  MutationFreshchatDeleteTicketingUserArgs,
  MutationFreshchatSetTicketingUserAvailabilityArgs,
} from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { deleteAgent, setAvailability } from '../resources/agents.js';
import { idOf } from '../resources/fields.js';
import { agentDeletionRequested, availabilitySet } from '../sync/write-changes.js';
import { agentWritten } from './effects.js';
import type { WriteTarget } from './outcome.js';
import type { AvailabilityPayloadModel, DeletePayloadModel } from '../models.js';
import { failed } from './payloads.js';
import { invalidId, performWrite, targetOf } from './perform.js';
import { validateIdempotencyKey } from './validate.js';

const AGENT: WriteTarget = {
  what: 'agent',
  idField: ['id'],
  inputField: null,
  conflict: 'Freshchat refused the change for this agent now (it does so for an agent who is offline or deactivated)',
};

export async function setAgentAvailability(
  ctx: Context,
  { id, availability, idempotencyKey }: MutationFreshchatSetTicketingUserAvailabilityArgs,
): Promise<AvailabilityPayloadModel> {
  const problems = validateIdempotencyKey(idempotencyKey);
  if (problems.length > 0) return failed.availability(problems);
  const target = await targetOf(ctx, id, 'FreshchatTicketingUser');
  if (!target) return failed.availability([invalidId('FreshchatTicketingUser')]);
  const { loaders } = target;
  return performWrite(ctx, {
    account: target.account,
    idempotencyKey,
    describes: { mutation: 'freshchatSetTicketingUserAvailability', id: target.remoteId, availability },
    target: { ...AGENT, inputField: ['availability'] },
    failed: failed.availability,
    async send() {
      await setAvailability(loaders.resources.client, target.remoteId, availability);
      await agentWritten(loaders, target.remoteId, false);
      await ctx.sync?.recordWrite(availabilitySet(target.account.id, target.remoteId, availability));
      return { agent: { accountId: target.account.id, remoteId: target.remoteId }, userErrors: [] };
    },
  });
}

export async function requestAgentDeletion(
  ctx: Context,
  { id, idempotencyKey }: MutationFreshchatDeleteTicketingUserArgs,
): Promise<DeletePayloadModel> {
  const problems = validateIdempotencyKey(idempotencyKey);
  if (problems.length > 0) return failed.deletion(problems);
  const target = await targetOf(ctx, id, 'FreshchatTicketingUser');
  if (!target) return failed.deletion([invalidId('FreshchatTicketingUser')]);
  const { loaders } = target;
  return performWrite(ctx, {
    account: target.account,
    idempotencyKey,
    describes: { mutation: 'freshchatDeleteTicketingUser', id: target.remoteId },
    target: AGENT,
    failed: failed.deletion,
    async send() {
      const status = await deleteAgent(loaders.resources.client, target.remoteId);
      await agentWritten(loaders, target.remoteId, true);
      await ctx.sync?.recordWrite(agentDeletionRequested(target.account.id, target.remoteId));
      return { deletedId: idOf('FreshchatTicketingUser', target.account.id, target.remoteId), status, userErrors: [] };
    },
  });
}
