/** Checks of the conversation writes' input, before anything is sent (docs/design.md#writes-and-idempotency, docs/design.md#conversations-and-messages). */
import type { HelpdeskTicketStatus } from '../__generated__/resolvers-types.js';
import { PROVIDER } from '../resources/fields.js';
import type { NodeModel } from '../models.js';
import { decodeOwnId } from '../relay/ids.js';
import type { UserErrorModel } from '../models.js';

export const MAX_MESSAGE_LENGTH = 10_000;

export function validateBody(body: string, field: string[]): UserErrorModel[] {
  if (body.trim() === '') return [{ field, code: 'BLANK', message: '`body` must not be blank.' }];
  if (body.length > MAX_MESSAGE_LENGTH) return [{ field, code: 'TOO_LONG', message: `\`body\` is longer than ${MAX_MESSAGE_LENGTH} characters.` }];
  return [];
}

/** RESOLVED → `resolved`, OPEN → `reopened`; IN_PROGRESS and WAITING cannot be set (docs/design.md#conversations-and-messages). */
export function validateStatus(status: HelpdeskTicketStatus | null | undefined): string | UserErrorModel | undefined {
  if (status == null) return undefined;
  if (status === 'RESOLVED') return 'resolved';
  if (status === 'OPEN') return 'reopened';
  return {
    field: ['status'],
    code: 'UNSUPPORTED_STATUS',
    message: `${status} cannot be set in Freshchat: use OPEN or RESOLVED (assigning an agent puts a conversation in progress).`,
  };
}

/** The Freshchat id inside a global id of `typename` and this account, or the userErrors entry saying it is not one. */
export function ownRemoteId(id: string, accountId: string, typename: NodeModel['__typename'], argument: string): string | UserErrorModel {
  const decoded = decodeOwnId(id, { provider: PROVIDER, accountId, typenames: [typename] });
  if (decoded) return decoded.remoteId;
  return { field: [argument], code: 'INVALID_ID', message: `\`${argument}\` is not the global id of a ${typename} of this account.` };
}
