/**
 * Freshchat's webhook events as changes (docs/sync.md "Webhooks in", docs/freshchat-api.md). Freshchat
 * sends four: `message_create`, `conversation_assignment`, `conversation_resolution` and
 * `conversation_reopen`, in the envelope `{ actor, action, action_time, data: { message | assignment
 * | resolve | reopen } }`. Nothing is signed but the body, so a repeat is told by the event itself:
 * a message by its id, anything else by action + action_time + conversation id.
 */
import { z } from 'zod';
import { toTicketStatus } from '../resources/conversations.js';
import { commentKey } from '../resources/messages.js';
import type { Observation } from './observe.js';
import { messageKey } from './write-changes.js';

const id = z.string().trim().min(1).max(512);
const conversation = z.looseObject({ conversation_id: id, status: z.string().nullish() });

const Envelope = z.looseObject({
  action: z.string(),
  action_time: z.string().nullish(),
  data: z.looseObject({}).nullish(),
});

const MessageData = z.looseObject({ message: z.looseObject({ id, conversation_id: id, created_time: z.string().nullish() }) });
const AssignmentData = z.looseObject({
  assignment: z.looseObject({
    to_agent_id: z.string().nullish(),
    to_group_id: z.string().nullish(),
    conversation: conversation.nullish(),
    conversation_id: id.nullish(),
  }),
});
const ResolveData = z.looseObject({ resolve: z.looseObject({ conversation }) });
const ReopenData = z.looseObject({ reopen: z.looseObject({ conversation }) });

/** Not an event this receiver understands: answered 200 (Freshchat must not retry it) and not recorded. */
export class UnknownEvent extends Error {
  constructor(readonly action: string) {
    super(`Freshchat webhook event ${action} is not one this receiver records`);
    this.name = 'UnknownEvent';
  }
}

/** The changes an event tells; throws UnknownEvent for an action (or a shape) it does not know. */
export function toObservations(accountId: string, payload: unknown): Observation[] {
  const envelope = Envelope.safeParse(payload);
  if (!envelope.success) throw new UnknownEvent('(not a Freshchat event)');
  const { action, action_time: actionTime, data } = envelope.data;
  const occurredAt = toDate(actionTime);
  const base = { accountId, source: 'WEBHOOK' as const, occurredAt };
  const repeatKey = (conversationId: string) => `${action}:${actionTime ?? ''}:${conversationId}`;
  switch (action) {
    case 'message_create': {
      const { message } = parse(MessageData, data, action);
      const key = messageKey(message.id);
      return [
        { change: { ...base, kind: 'CREATED', dedupeKey: key }, objectType: 'FreshchatComment', remoteId: commentKey(message.conversation_id, message.id) },
        {
          change: { ...base, kind: 'UPDATED', changedFields: ['comments'], dedupeKey: `${key}:ticket` },
          objectType: 'FreshchatTicket',
          remoteId: message.conversation_id,
          // A message already recorded (by the write that sent it, with its new conversation) changes nothing more.
          unlessRecorded: key,
        },
      ];
    }
    case 'conversation_assignment': {
      const { assignment } = parse(AssignmentData, data, action);
      const conversationId = assignment.conversation?.conversation_id ?? assignment.conversation_id;
      if (!conversationId) throw new UnknownEvent(action);
      const state = { assignee: blankToNull(assignment.to_agent_id), assignedGroup: blankToNull(assignment.to_group_id) };
      return [ticketChange(base, conversationId, ['assignee', 'assignedGroup'], state, repeatKey(conversationId))];
    }
    case 'conversation_resolution':
    case 'conversation_reopen': {
      const { conversation: found } =
        action === 'conversation_resolution' ? parse(ResolveData, data, action).resolve : parse(ReopenData, data, action).reopen;
      const status = toTicketStatus(found.status) ?? (action === 'conversation_resolution' ? 'RESOLVED' : 'OPEN');
      return [ticketChange(base, found.conversation_id, ['status'], { status }, repeatKey(found.conversation_id))];
    }
    default:
      throw new UnknownEvent(action);
  }
}

function ticketChange(
  base: { accountId: string; source: 'WEBHOOK'; occurredAt: Date | null },
  conversationId: string,
  changedFields: string[],
  state: Record<string, unknown>,
  dedupeKey: string,
): Observation {
  return {
    change: { ...base, kind: 'UPDATED', changedFields, dedupeKey },
    objectType: 'FreshchatTicket',
    remoteId: conversationId,
    // A write through this subgraph that already recorded this state makes this its echo.
    state: { kind: 'merge', state },
    onlyIfChanged: true,
  };
}

function parse<T>(schema: z.ZodType<T>, data: unknown, action: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new UnknownEvent(action);
  return parsed.data;
}

const blankToNull = (value: string | null | undefined): string | null => (value == null || value.trim() === '' ? null : value);

function toDate(value: string | null | undefined): Date | null {
  const ms = value == null ? Number.NaN : Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}
