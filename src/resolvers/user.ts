import type { FreshchatUserResolvers } from '../__generated__/resolvers-types.js';
import type { TicketModel } from '../models.js';
import { connectionScope } from '../relay/cursor.js';
import { toConnection, toSlice, toWindow } from '../relay/connection.js';
import { resolveReference } from './support.js';

/** A Freshchat contact: every field is mapped eagerly but its tickets, read per contact. */
export const FreshchatUser: FreshchatUserResolvers = {
  __resolveReference: (ref, ctx) => resolveReference(ctx, ref.id, 'FreshchatUser'),

  /**
   * Freshchat lists a contact's conversation ids whole (one call), so the window is cut from the ids
   * and only its conversations are read. One Freshchat no longer finds is left out of the page.
   */
  async tickets(user, args, ctx) {
    const scope = connectionScope(user.accountId, 'tickets', { user: user.remoteId });
    const slice = toSlice(args, scope, ctx.maxCursorOffset);
    const loaders = ctx.loadersOf(user.accountId);
    const ids = await loaders.tickets.ofContact(user.remoteId);
    const window = toWindow(slice, ids.length);
    const found = await Promise.all(ids.slice(window.start, window.end).map((id) => loaders.tickets.get(id)));
    const tickets = found.filter((ticket): ticket is TicketModel => ticket !== null);
    return toConnection(tickets, window, slice, ids.length, scope);
  },
};
