/**
 * What each write through this subgraph records (docs/sync.md "Writes"), source WRITE, with the
 * state the next poll or webhook compares against, so neither records the same change again.
 * Built by src/writes after Freshchat accepted the write; recorded before the mutation answers.
 */
import type { CommentModel, TicketModel, UserModel } from '../models.js';
import { commentKey } from '../resources/messages.js';
import type { Observation } from './observe.js';
import { contactState, PENDING_DELETION, ticketState } from './states.js';

const write = (accountId: string) => ({ accountId, source: 'WRITE' as const, occurredAt: null });

export const contactCreated = (contact: UserModel): Observation[] => [
  {
    change: { ...write(contact.accountId), kind: 'CREATED' },
    objectType: 'FreshchatUser',
    remoteId: contact.remoteId,
    state: { kind: 'replace', state: contactState(contact) },
  },
];

/** `fields`: the unified fields the mutation set. */
export const contactUpdated = (contact: UserModel, fields: readonly string[]): Observation[] => [
  {
    change: { ...write(contact.accountId), kind: 'UPDATED', changedFields: fields },
    objectType: 'FreshchatUser',
    remoteId: contact.remoteId,
    state: { kind: 'replace', state: contactState(contact) },
  },
];

/**
 * Polls cannot see contact deletions: this is the only record of one. A deletion Freshchat does
 * later (202) leaves a marker, so the polls that still find the contact meanwhile record nothing.
 */
export const contactDeleted = (accountId: string, remoteId: string, done: boolean): Observation[] => [
  {
    change: { ...write(accountId), kind: 'DELETED' },
    objectType: 'FreshchatUser',
    remoteId,
    state: done ? { kind: 'forget' } : { kind: 'replace', state: { [PENDING_DELETION]: true } },
  },
];

export const availabilitySet = (accountId: string, remoteId: string, availability: string): Observation[] => [
  {
    change: { ...write(accountId), kind: 'UPDATED', changedFields: ['availability'] },
    objectType: 'FreshchatTicketingUser',
    remoteId,
    state: { kind: 'patch', state: { availability } },
  },
];

/** Freshchat deletes the agent later (202): the poll that no longer lists it records nothing more. */
export const agentDeletionRequested = (accountId: string, remoteId: string): Observation[] => [
  { change: { ...write(accountId), kind: 'DELETED' }, objectType: 'FreshchatTicketingUser', remoteId, state: { kind: 'pendingDeletion' } },
];

/** A message: the comment, and its conversation's `comments`; keyed by message id as its webhook is. */
export function commentCreated(comment: CommentModel): Observation[] {
  const key = messageKey(comment.remoteId);
  return [
    { change: { ...write(comment.accountId), kind: 'CREATED', dedupeKey: key }, objectType: 'FreshchatComment', remoteId: commentKey(comment.ticketRemoteId, comment.remoteId) },
    {
      change: { ...write(comment.accountId), kind: 'UPDATED', changedFields: ['comments'], dedupeKey: `${key}:ticket` },
      objectType: 'FreshchatTicket',
      remoteId: comment.ticketRemoteId,
    },
  ];
}

/** Status or assignment: recorded unless its webhook came first with the same state. */
export const ticketUpdated = (ticket: TicketModel, fields: readonly string[]): Observation[] => [
  {
    change: { ...write(ticket.accountId), kind: 'UPDATED', changedFields: fields },
    objectType: 'FreshchatTicket',
    remoteId: ticket.remoteId,
    state: { kind: 'merge', state: ticketState(ticket) },
    onlyIfChanged: true,
  },
];

/**
 * A new conversation with its first messages, under their message keys: the webhooks Freshchat
 * sends for those messages then find them recorded, and add nothing to the conversation either.
 */
export function ticketCreated(ticket: TicketModel, firstMessageIds: readonly string[]): Observation[] {
  const comments = firstMessageIds.map((id) => ({
    change: { ...write(ticket.accountId), kind: 'CREATED' as const, dedupeKey: messageKey(id) },
    objectType: 'FreshchatComment' as const,
    remoteId: commentKey(ticket.remoteId, id),
  }));
  const created: Observation = {
    change: { ...write(ticket.accountId), kind: 'CREATED' },
    objectType: 'FreshchatTicket',
    remoteId: ticket.remoteId,
    state: { kind: 'merge', state: ticketState(ticket) },
  };
  return [created, ...comments];
}

/** The dedupe key of a message's changes, the same for its webhook (./freshchat-events.ts). */
export const messageKey = (messageId: string): string => `message:${messageId}`;
