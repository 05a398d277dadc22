/**
 * What the write endpoints of every resource share: how a deletion's answer reads, and how an id
 * becomes a path segment for a write.
 */
import { FreshchatError } from '../errors.js';
import { toPathSegment } from '../freshchat/client.js';

/** DONE when Freshchat answered 200/204; PENDING when it answered 202 (accepted, done later, docs/freshchat-api.md#agents). */
export type DeleteOutcome = 'DONE' | 'PENDING';

export const decodeDeletion = (_body: unknown, status: number): DeleteOutcome => (status === 202 ? 'PENDING' : 'DONE');

/**
 * `<collection>/<id>` for a write. An id that cannot be a path segment ('', '.', '..') names no
 * object: it is answered as Freshchat answers an unknown id, without sending anything.
 */
export function objectPath(collection: string, id: string): string {
  const segment = toPathSegment(id);
  if (segment === undefined) throw new FreshchatError('NOT_FOUND', 'Freshchat has no such object (404)', { status: 404, sent: false });
  return `${collection}/${segment}`;
}
