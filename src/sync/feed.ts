/**
 * `freshchat { changes }` (docs/sync.md "Reading changes"): a forward-only connection over one
 * account's change log. A cursor is the position (`seq`) of its change, tied to the account like
 * every cursor here, so it stays valid across restarts and replicas and with any `types`. Once its
 * change is older than the retention (swept or not yet) it is refused as CURSOR_EXPIRED: changes
 * after it may be gone, and the reader must start again from the beginning.
 */
import type { Queryable } from '../accounts/db.js';
import { badUserInput } from '../errors.js';
import type { ChangeConnectionModel, ChangeModel } from '../models.js';
import { isPageSize, MAX_PAGE, pageSizeProblem } from '../relay/connection.js';
import { connectionScope, decodeCursor, encodeCursor } from '../relay/cursor.js';
import { countChanges, readChanges, recordedAt, type RecordedChange } from './change-log.js';

export interface ChangesArgs {
  first?: number | null;
  after?: string | null;
  types?: readonly string[] | null;
}

export interface ChangeFeed {
  /** A page of the account's changes; the arguments are checked before the database is read. */
  page(accountId: string, args: ChangesArgs): Promise<ChangeConnectionModel>;
}

export interface ChangeFeedOptions {
  db: Queryable;
  /** SYNC_RETENTION_DAYS in ms. */
  retentionMs: number;
  now?: () => number;
}

export const DEFAULT_CHANGES_PAGE = 50;
const MAX_TYPES = 50;
const MAX_TYPE_LENGTH = 128;

export function createChangeFeed(options: ChangeFeedOptions): ChangeFeed {
  const now = options.now ?? Date.now;
  return {
    async page(accountId, args) {
      const first = args.first ?? DEFAULT_CHANGES_PAGE;
      if (!isPageSize(first)) throw badUserInput(pageSizeProblem('first', first), { argument: 'first', min: 0, max: MAX_PAGE });
      const types = checkTypes(args.types);
      const scope = connectionScope(accountId, 'changes');
      const afterSeq = args.after == null ? 0 : decodeCursor(args.after, scope, Number.MAX_SAFE_INTEGER, 'after');
      const since = new Date(now() - options.retentionMs);
      if (args.after != null) await checkNotExpired(options.db, accountId, afterSeq, since);
      const query = { accountIds: [accountId], afterSeq, types, recordedSince: since };
      const read = await readChanges(options.db, { ...query, limit: first + 1 });
      const edges = read.slice(0, first).map((change) => ({ cursor: encodeCursor(scope, change.seq), node: toChangeModel(change) }));
      return {
        edges,
        nodes: edges.map((edge) => edge.node),
        pageInfo: {
          hasNextPage: read.length > first,
          // The cursor's own change is still there (checked above), so something precedes this page.
          hasPreviousPage: args.after != null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
        count: () => countChanges(options.db, { ...query, afterSeq: 0 }),
      };
    },
  };
}

async function checkNotExpired(db: Queryable, accountId: string, seq: number, since: Date): Promise<void> {
  const at = await recordedAt(db, accountId, seq);
  if (at !== null && at >= since) return;
  throw badUserInput('`after` points at a change older than the retention of the change log: read the changes again from the start (no `after`).', {
    argument: 'after',
    reason: 'CURSOR_EXPIRED',
  });
}

function checkTypes(types: readonly string[] | null | undefined): readonly string[] | null {
  if (types == null) return null;
  if (types.length > MAX_TYPES) throw badUserInput(`\`types\` takes at most ${MAX_TYPES} typenames.`, { argument: 'types', max: MAX_TYPES });
  if (types.some((type) => type.length === 0 || type.length > MAX_TYPE_LENGTH)) {
    throw badUserInput(`each of \`types\` must be a typename of 1 to ${MAX_TYPE_LENGTH} characters.`, { argument: 'types' });
  }
  return types;
}

export function toChangeModel(change: RecordedChange): ChangeModel {
  return {
    id: change.id,
    accountId: change.accountId,
    kind: change.kind,
    objectType: change.objectType,
    objectId: change.objectId,
    changedFields: change.changedFields,
    occurredAt: change.occurredAt?.toISOString() ?? null,
    recordedAt: change.recordedAt.toISOString(),
    source: change.source,
  };
}
