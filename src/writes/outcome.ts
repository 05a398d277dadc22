/**
 * What a failed write tells the caller (docs/design.md#errors, docs/design.md#writes-and-idempotency). Freshchat's 400/404/409/422 are the caller's
 * input: `userErrors` with our own message (Freshchat's body is never forwarded, only its status key).
 * Anything else is a GraphQL error whose `extensions.writeOutcome` says what is known:
 * - NOT_SENT: refused before sending (quota, open circuit, never connected); safe to send again;
 * - NOT_DONE: Freshchat answered that it did not do it (401, 403, 429); safe to send again;
 * - UNKNOWN: sent, and Freshchat never confirmed (5xx, timeout, unreadable answer): it may have been
 *   applied. It is not retried; read the object before writing again.
 */
import { GraphQLError } from 'graphql';
import { FreshchatError, toGraphQLError } from '../errors.js';
import type { UserErrorModel } from '../models.js';

export type WriteOutcome = 'NOT_SENT' | 'NOT_DONE' | 'UNKNOWN';

/** How the caller's mistakes read for this write. */
export interface WriteTarget {
  /** `contact` or `agent`, for messages. */
  what: string;
  /** The field a 404 is about (`['id']`), or null when there is no id (a create). */
  idField: string[] | null;
  /** The field a 400/422 is about. */
  inputField: string[] | null;
  /** What a 409 means for this write. */
  conflict: string;
}

export type WriteFailure =
  | { kind: 'userErrors'; userErrors: UserErrorModel[] }
  | { kind: 'error'; error: GraphQLError; outcome: WriteOutcome };

const CALLER_STATUSES = new Set([400, 404, 409, 422]);

export function toWriteFailure(error: unknown, target: WriteTarget): WriteFailure {
  if (!(error instanceof FreshchatError)) throw error; // a bug: surfaces as an internal error
  if (error.status !== undefined && CALLER_STATUSES.has(error.status)) return { kind: 'userErrors', userErrors: [callerError(error, target)] };
  const outcome = outcomeOf(error);
  const base = toGraphQLError(error);
  const message = outcome === 'UNKNOWN' ? unknownMessage(error) : base.message;
  return { kind: 'error', outcome, error: new GraphQLError(message, { extensions: { ...base.extensions, writeOutcome: outcome } }) };
}

function outcomeOf(error: FreshchatError): WriteOutcome {
  if (error.sent === false) return 'NOT_SENT';
  if (error.status === 401 || error.status === 403 || error.status === 429) return 'NOT_DONE';
  return 'UNKNOWN';
}

function unknownMessage(error: FreshchatError): string {
  const why = error.status === undefined ? 'did not answer in time' : `answered ${error.status}`;
  return `Freshchat ${why}, so whether it applied this write is unknown. It was sent once and not retried: read the object before writing again.`;
}

function callerError(error: FreshchatError, target: WriteTarget): UserErrorModel {
  const key = error.upstreamStatus === undefined ? '' : ` ${error.upstreamStatus}`;
  switch (error.status) {
    case 404:
      return { field: target.idField, code: 'NOT_FOUND', message: `Freshchat has no such ${target.what} (404${key}).` };
    case 409:
      return { field: target.inputField, code: 'CONFLICT', message: `${target.conflict} (409${key}).` };
    default:
      return { field: target.inputField, code: 'REJECTED', message: `Freshchat rejected the ${target.what}'s input (${error.status}${key}).` };
  }
}
