import type { Context } from '../context.js';
import { badUserInput } from '../errors.js';
import { PROVIDER } from '../resources/fields.js';
import { NODE_TYPENAMES, type Loaders, type NodeTypename as Typename, type WindowResult } from '../resources/index.js';
import type { NodeModel } from '../models.js';
import { toConnection, toSlice, toWindow, type Connection, type ConnectionArgs, type Slice } from '../relay/connection.js';
import { decodeOwnId, fromGlobalId } from '../relay/ids.js';

/** The Freshchat id inside a typed lookup's global id; anything else is the caller's mistake. */
export function requireRemoteId(id: string, accountId: string, typename: Typename, argument = 'id'): string {
  const decoded = decodeOwnId(id, { provider: PROVIDER, accountId, typenames: [typename] });
  if (!decoded) throw badUserInput(`\`${argument}\` is not a ${typename} id of this account`, { argument });
  return decoded.remoteId;
}

/** `node(id)` within one account: null for anything unknown, malformed or foreign. */
export function loadOwnNode(loaders: Loaders, id: string): Promise<NodeModel | null> {
  const decoded = decodeOwnId(id, { provider: PROVIDER, accountId: loaders.account.id, typenames: NODE_TYPENAMES });
  return decoded ? loaders.node(decoded.typename as Typename, decoded.remoteId) : Promise.resolve(null);
}

/**
 * `_entities`: the entity a representation names, from its own account. Foreign, malformed or
 * other-type ids, and accounts the caller may not use, give null (an entity may be null; it is not
 * an error, and it tells nothing of whether the account exists).
 */
export async function resolveReference<K extends Typename>(
  ctx: Context,
  id: unknown,
  typename: K,
): Promise<Extract<NodeModel, { __typename: K }> | null> {
  // Representations are untyped JSON from the router: a missing or non-string id is simply unknown.
  const decoded = typeof id === 'string' ? fromGlobalId(id) : null;
  if (!decoded || decoded.provider !== PROVIDER || decoded.typename !== typename) return null;
  const loaders = await ctx.accounts.byId(decoded.accountId);
  if (!loaders) return null;
  // `node` answers with the typename it was asked for.
  return (await loaders.node(typename, decoded.remoteId)) as Extract<NodeModel, { __typename: K }> | null;
}

/**
 * A connection over a list held in memory (catalogs, an agent's groups, a role's members). The
 * arguments are checked before `load` runs, so a bad cursor costs no upstream call.
 */
export async function arrayConnection<T>(
  args: ConnectionArgs,
  scope: string,
  maxOffset: number,
  load: () => Promise<readonly T[]>,
): Promise<Connection<T>> {
  const slice = toSlice(args, scope, maxOffset);
  const list = await load();
  const window = toWindow(slice, list.length);
  return toConnection(list.slice(window.start, window.end), window, slice, list.length, scope);
}

/** A connection served from the fewest upstream pages, its arguments checked before any is read. */
export async function pagedConnection<T>(
  args: ConnectionArgs,
  scope: string,
  maxOffset: number,
  load: (slice: Slice) => Promise<WindowResult<T>>,
): Promise<Connection<T>> {
  const slice = toSlice(args, scope, maxOffset);
  const { window, items, total } = await load(slice);
  return toConnection(items, window, slice, total, scope);
}
