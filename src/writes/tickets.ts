/**
 * Conversation writes (docs/design.md#conversations-and-messages), under the rules of every write
 * (docs/design.md#writes-and-idempotency): reply as an agent, change status and assignment, start a
 * conversation. Validate, send once, let this request's loaders see the result, build the payload.
 */
import type {
  MutationFreshchatCreateTicketArgs,
  MutationFreshchatReplyToTicketArgs,
  MutationFreshchatUpdateTicketArgs,
} from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { accountNotFound } from '../errors.js';
import { createConversation, toTicket, updateConversation, type ConversationUpdate, type MessageWrite } from '../resources/conversations.js';
import { sendMessage, toComment } from '../resources/messages.js';
import type { Loaders } from '../resources/index.js';
import type { WriteTarget } from './outcome.js';
import type { CommentPayloadModel, TicketPayloadModel, UserErrorModel } from '../models.js';
import { invalidId, performWrite, targetOf } from './perform.js';
import { ownRemoteId, validateBody, validateStatus } from './ticket-input.js';
import { validateIdempotencyKey } from './validate.js';

const failedComment = (userErrors: UserErrorModel[]): CommentPayloadModel => ({ comment: null, userErrors });
const failedTicket = (userErrors: UserErrorModel[]): TicketPayloadModel => ({ ticket: null, userErrors });

const CONVERSATION: WriteTarget = {
  what: 'conversation',
  idField: ['id'],
  inputField: null,
  conflict: 'Freshchat refused the change to this conversation now',
};

const textMessage = (body: string, actor: Pick<MessageWrite, 'actor_type' | 'actor_id'>, isPrivate: boolean): MessageWrite => ({
  message_parts: [{ text: { content: body } }],
  message_type: isPrivate ? 'private' : 'normal',
  ...actor,
});

export async function replyToTicket(ctx: Context, args: MutationFreshchatReplyToTicketArgs): Promise<CommentPayloadModel> {
  const target = await targetOf(ctx, args.id, 'FreshchatTicket');
  const agent = target && ownRemoteId(args.agentId, target.account.id, 'FreshchatTicketingUser', 'agentId');
  const problems = [
    ...validateIdempotencyKey(args.idempotencyKey),
    ...(target ? [] : [invalidId('FreshchatTicket')]),
    ...validateBody(args.body, ['body']),
    ...(agent && typeof agent !== 'string' ? [agent] : []),
  ];
  if (problems.length > 0 || !target || typeof agent !== 'string') return failedComment(problems);
  const loaders = ctx.loaders(target.account);
  const message = textMessage(args.body, { actor_type: 'agent', actor_id: agent }, args.isPrivate === true);
  return performWrite(ctx, {
    account: target.account,
    idempotencyKey: args.idempotencyKey,
    describes: { mutation: 'freshchatReplyToTicket', id: target.remoteId, message },
    target: CONVERSATION,
    failed: failedComment,
    async send() {
      const sent = await sendMessage(loaders.resources.client, target.remoteId, message);
      conversationWritten(loaders, target.remoteId);
      return { comment: toComment(sent, target.remoteId, target.account.id), userErrors: [] };
    },
  });
}

export async function updateTicket(ctx: Context, args: MutationFreshchatUpdateTicketArgs): Promise<TicketPayloadModel> {
  const target = await targetOf(ctx, args.id, 'FreshchatTicket');
  const accountId = target?.account.id ?? '';
  const assignee = args.assigneeId == null ? undefined : ownRemoteId(args.assigneeId, accountId, 'FreshchatTicketingUser', 'assigneeId');
  const group = args.groupId == null ? undefined : ownRemoteId(args.groupId, accountId, 'FreshchatGroup', 'groupId');
  const status = validateStatus(args.status);
  const problems = [
    ...validateIdempotencyKey(args.idempotencyKey),
    ...(target ? [] : [invalidId('FreshchatTicket')]),
    ...[status, assignee, group].filter((v): v is UserErrorModel => typeof v === 'object' && v !== null),
  ];
  if (args.status == null && args.assigneeId == null && args.groupId == null) {
    problems.push({ field: null, code: 'NOTHING_TO_UPDATE', message: 'Give `status`, `assigneeId` or `groupId`.' });
  }
  if (problems.length > 0 || !target) return failedTicket(problems);
  const update: ConversationUpdate = {};
  if (typeof status === 'string') update.status = status;
  if (typeof assignee === 'string') {
    update.assigned_agent_id = assignee;
    update.status ??= 'assigned';
  }
  if (typeof group === 'string') update.assigned_group_id = group;
  const loaders = ctx.loaders(target.account);
  return performWrite(ctx, {
    account: target.account,
    idempotencyKey: args.idempotencyKey,
    describes: { mutation: 'freshchatUpdateTicket', id: target.remoteId, update },
    target: CONVERSATION,
    failed: failedTicket,
    async send() {
      const ticket = toTicket(await updateConversation(loaders.resources.client, target.remoteId, update), target.account.id);
      loaders.tickets.prime(ticket);
      return { ticket, userErrors: [] };
    },
  });
}

export async function createTicket(ctx: Context, args: MutationFreshchatCreateTicketArgs): Promise<TicketPayloadModel> {
  const account = await ctx.accounts.choose(args.accountId);
  if (!account) throw accountNotFound(args.accountId ?? null);
  const contact = ownRemoteId(args.contactId, account.id, 'FreshchatUser', 'contactId');
  const agent = args.agentId == null ? undefined : ownRemoteId(args.agentId, account.id, 'FreshchatTicketingUser', 'agentId');
  const channel = args.channelId.trim() === '' ? [{ field: ['channelId'], code: 'BLANK', message: '`channelId` must name a Freshchat topic.' }] : [];
  const problems = [
    ...validateIdempotencyKey(args.idempotencyKey),
    ...validateBody(args.body, ['body']),
    ...channel,
    ...[contact, agent].filter((v): v is UserErrorModel => typeof v === 'object' && v !== null),
  ];
  if (problems.length > 0 || typeof contact !== 'string') return failedTicket(problems);
  const actor = typeof agent === 'string' ? { actor_type: 'agent' as const, actor_id: agent } : { actor_type: 'user' as const, actor_id: contact };
  const body = { channel_id: args.channelId, users: [{ id: contact }], messages: [textMessage(args.body, actor, false)] };
  const loaders = ctx.loaders(account);
  return performWrite(ctx, {
    account,
    idempotencyKey: args.idempotencyKey,
    describes: { mutation: 'freshchatCreateTicket', body },
    target: { ...CONVERSATION, idField: ['contactId'], inputField: ['channelId'] },
    failed: failedTicket,
    async send() {
      const ticket = toTicket(await createConversation(loaders.resources.client, body), account.id);
      loaders.tickets.prime(ticket);
      loaders.tickets.forgetContact(contact);
      return { ticket, userErrors: [] };
    },
  });
}

/** A message changes the thread and the conversation's `updated_time`: both are read again. */
function conversationWritten(loaders: Loaders, conversationId: string): void {
  loaders.comments.forget(conversationId);
  loaders.tickets.forget(conversationId);
}
