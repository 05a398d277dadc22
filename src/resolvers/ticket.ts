import type { FreshchatTicketResolvers } from '../__generated__/resolvers-types.js';
import { pageSize } from '../relay/connection.js';
import { connectionScope } from '../relay/cursor.js';
import { toForwardConnection, toForwardSlice, toForwardWindow } from '../relay/forward.js';
import { resolveReference } from './support.js';

/**
 * A Freshchat conversation: its people and group are joined through the request's loaders; its
 * comments come from the conversation's history, read once per request and served oldest first.
 */
export const FreshchatTicket: FreshchatTicketResolvers = {
  __resolveReference: (ref, ctx) => resolveReference(ctx, ref.id, 'FreshchatTicket'),

  contact: (ticket, _args, ctx) => (ticket.contactRemoteId === null ? null : ctx.loadersOf(ticket.accountId).contacts.get(ticket.contactRemoteId)),
  assignee: (ticket, _args, ctx) =>
    ticket.assigneeRemoteId === null ? null : ctx.loadersOf(ticket.accountId).agents.get(ticket.assigneeRemoteId),
  assignedGroup: (ticket, _args, ctx) =>
    ticket.groupRemoteId === null ? null : ctx.loadersOf(ticket.accountId).groups.get(ticket.groupRemoteId),
  channel: (ticket, _args, ctx) => (ticket.channelId === null ? null : ctx.loadersOf(ticket.accountId).channels.get(ticket.channelId)),

  async comments(ticket, args, ctx) {
    // Offsets count from the oldest message, so a cursor survives messages appended later.
    const scope = connectionScope(ticket.accountId, 'comments', { ticket: ticket.remoteId });
    const slice = toForwardSlice(args, scope, ctx.maxCursorOffset);
    const history = await ctx.loadersOf(ticket.accountId).comments.history(ticket.remoteId);
    return toForwardConnection(toForwardWindow(history, slice), slice, scope);
  },

  latestComments: (ticket, { first }, ctx) =>
    ctx.loadersOf(ticket.accountId).comments.latest(ticket.remoteId, pageSize(first, 'first') ?? 5),
};
