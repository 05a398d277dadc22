/**
 * One write, from validated input to payload: sent once, its failure told as docs/design.md#writes-and-idempotency says
 * (./outcome.ts), and under an idempotency key when the caller gave one (src/idempotency/run.ts).
 */
import { GraphQLError } from 'graphql';
import type { Account } from '../account.js';
import type { Context } from '../context.js';
import { accountNotFound } from '../errors.js';
import { PROVIDER } from '../resources/fields.js';
import { IdempotencyStoreError, fingerprintOf, type WriteResult } from '../idempotency/run.js';
import type { StoredOutcome } from '../idempotency/store.js';
import type { NodeModel } from '../models.js';
import type { Loaders } from '../resources/index.js';
import { fromGlobalId } from '../relay/ids.js';
import { toWriteFailure, type WriteTarget } from './outcome.js';
import type { UserErrorModel } from '../models.js';

export interface WriteSpec<P> {
  account: Account;
  idempotencyKey: string | null | undefined;
  /** What the write does (mutation, target, input): equal writes, equal fingerprints. */
  describes: unknown;
  target: WriteTarget;
  /** The payload that reports only `userErrors`. */
  failed: (userErrors: UserErrorModel[]) => P;
  /** Sends the write and builds the payload; throws the FreshchatError of a failed call. */
  send: () => Promise<P>;
}

export async function performWrite<P>(ctx: Context, spec: WriteSpec<P>): Promise<P> {
  const attempt = () => sendOnce(spec);
  if (spec.idempotencyKey == null) return unwrap<P>((await attempt()).outcome);
  // Scoped by the account's key: an id unlinked and linked again (or re-pointed) starts with no keys.
  const keyed = { accountKey: spec.account.key, key: spec.idempotencyKey, fingerprint: fingerprintOf(spec.describes) };
  const result = await ctx.idempotency.run(keyed, attempt, ctx.signal).catch((error: unknown) => {
    if (!(error instanceof IdempotencyStoreError)) throw error;
    throw new GraphQLError('The idempotency key store is unavailable, so the write was not sent. Retry later.', {
      extensions: { code: 'IDEMPOTENCY_STORE_UNAVAILABLE', writeOutcome: 'NOT_SENT' },
    });
  });
  switch (result.kind) {
    case 'done':
      return unwrap<P>(result.outcome);
    case 'reused':
      return spec.failed([keyError('IDEMPOTENCY_KEY_REUSED', 'This idempotencyKey was used for a different write; use a new key for this one.')]);
    case 'in-use':
      return spec.failed([keyError('IDEMPOTENCY_KEY_IN_USE', 'A request with this idempotencyKey is still writing; repeat this one later to get its result.')]);
    case 'abandoned':
      throw new GraphQLError('The first request with this idempotencyKey stopped while writing, so whether Freshchat applied the write is unknown. Read the object before writing again.', {
        extensions: { code: 'UPSTREAM_UNAVAILABLE', writeOutcome: 'UNKNOWN' },
      });
    default:
      return result satisfies never;
  }
}

/** The write, sent once; what the key keeps of it (a write never sent, or refused outright, keeps nothing). */
async function sendOnce<P>(spec: WriteSpec<P>): Promise<WriteResult> {
  try {
    return { outcome: { kind: 'payload', payload: await spec.send() }, keep: true };
  } catch (error) {
    const failure = toWriteFailure(error, spec.target);
    if (failure.kind === 'userErrors') return { outcome: { kind: 'payload', payload: spec.failed(failure.userErrors) }, keep: true };
    const { message, extensions } = failure.error;
    return { outcome: { kind: 'error', message, extensions: { ...extensions } }, keep: failure.outcome === 'UNKNOWN' };
  }
}

/** A stored payload is the P its write built (JSON models); a stored error is thrown again. */
function unwrap<P>(outcome: StoredOutcome): P {
  if (outcome.kind === 'error') throw new GraphQLError(outcome.message, { extensions: outcome.extensions });
  return outcome.payload as P;
}

function keyError(code: string, message: string): UserErrorModel {
  return { field: ['idempotencyKey'], code, message };
}

/**
 * The object a write names by global id, with its account (the id carries it): null when the id is
 * not one of `typename` (a userErrors entry for the caller); ACCOUNT_NOT_FOUND when its account is
 * not the caller's to use (docs/design.md#caller-authentication).
 */
export async function targetOf(
  ctx: Context,
  id: string,
  typename: NodeModel['__typename'],
): Promise<{ account: Account; loaders: Loaders; remoteId: string } | null> {
  const decoded = fromGlobalId(id);
  if (!decoded || decoded.provider !== PROVIDER || decoded.typename !== typename) return null;
  const loaders = await ctx.accounts.byId(decoded.accountId);
  if (!loaders) throw accountNotFound(decoded.accountId);
  return { account: loaders.account, loaders, remoteId: decoded.remoteId };
}

export function invalidId(typename: string): UserErrorModel {
  return { field: ['id'], code: 'INVALID_ID', message: `\`id\` is not the global id of a ${typename}.` };
}
