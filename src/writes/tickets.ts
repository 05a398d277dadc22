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
import { createConversation, toTicket, updateConversation, type ConversationUpdate, type MessageWrite } from '../resources/conversations.js';
import { sendMessage, toComment } from '../resources/messages.js';
import type { Loaders } from '../resources/index.js';
import type { WriteTarget } from './outcome.js';
import type { CommentPayloadModel, TicketPayloadModel, UserErrorModel } from '../models.js';
import { invalidId, performWrite, targetOf } from './perform.js';
import { ownRemoteId, validateBody, validateStatus } from './ticket-input.js';
import { validateIdempotencyKey } from './validate.js';
import { commentCreated, ticketCreated, ticketUpdated } from '../sync/write-changes.js';

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
  const { loaders } = target;
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
      const comment = toComment(sent, target.remoteId, target.account.id);
      await ctx.sync?.recordWrite(commentCreated(comment));
      return { comment, userErrors: [] };
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
  const { loaders } = target;
  return performWrite(ctx, {
    account: target.account,
    idempotencyKey: args.idempotencyKey,
    describes: { mutation: 'freshchatUpdateTicket', id: target.remoteId, update },
    target: CONVERSATION,
    failed: failedTicket,
    async send() {
      const ticket = toTicket(await updateConversation(loaders.resources.client, target.remoteId, update), target.account.id);
      loaders.tickets.prime(ticket);
      await ctx.sync?.recordWrite(ticketUpdated(ticket, fieldsSet(update)));
      return { ticket, userErrors: [] };
    },
  });
}

export async function createTicket(ctx: Context, args: MutationFreshchatCreateTicketArgs): Promise<TicketPayloadModel> {
  const loaders = await ctx.accounts.choose(args.accountId);
  const { account } = loaders;
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
      await ctx.sync?.recordWrite(ticketCreated(ticket, await firstMessageIds(loaders, ticket.remoteId)));
      return { ticket, userErrors: [] };
    },
  });
}

/** The unified fields a conversation update sets, for its change (docs/sync.md). */
function fieldsSet(update: ConversationUpdate): string[] {
  return [
    ...(update.status === undefined ? [] : ['status']),
    ...(update.assigned_agent_id === undefined ? [] : ['assignee']),
    ...(update.assigned_group_id === undefined ? [] : ['assignedGroup']),
  ];
}

/**
 * The ids of a new conversation's messages (one read: Freshchat's answer to the create names none),
 * so its change takes the key its message webhooks will bring. Unknown when the read fails: the
 * write is done, and at worst a webhook then records the conversation's first message once more.
 */
async function firstMessageIds(loaders: Loaders, conversationId: string): Promise<string[]> {
  try {
    return (await loaders.comments.history(conversationId)).map((comment) => comment.remoteId);
  } catch {
    return [];
  }
}

/** A message changes the thread and the conversation's `updated_time`: both are read again. */
function conversationWritten(loaders: Loaders, conversationId: string): void {
  loaders.comments.forget(conversationId);
  loaders.tickets.forget(conversationId);
}
