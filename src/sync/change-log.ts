/**
 * The change log (docs/sync.md): one ordered list of changes per account, in the registry database
 * (the `changes` table of migration 5), written by webhooks in, the poller and writes through the
 * subgraph, and read by `freshchat { changes }` and by webhooks out.
 *
 * Order is `seq`, a database sequence. A reader that remembers the last `seq` it saw must never miss
 * a change committed later with a smaller one, which concurrent transactions would allow (a sequence
 * value is taken at insert, visible at commit). So every recording takes one transaction-scoped
 * advisory lock first: recordings commit one at a time, in `seq` order, on Postgres and PGlite alike.
 * Changes are few (a poll, a webhook, a write), so the lock costs nothing that matters.
 */
import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../accounts/db.js';
import type { ChangeKindModel, ChangeSourceModel } from '../models.js';

export type ChangeKind = ChangeKindModel;
export type ChangeSource = ChangeSourceModel;

/** A change to record. */
export interface NewChange {
  accountId: string;
  kind: ChangeKind;
  /** The concrete GraphQL typename, e.g. `FreshchatTicketingUser`. */
  objectType: string;
  /** The object's global id. */
  objectId: string;
  /** Unified field names (a set; empty when unknown). */
  changedFields: readonly string[];
  /** Freshchat's time of the change, when known. */
  occurredAt: Date | null;
  source: ChangeSource;
  /** One recording per (account, key): a webhook event's identity, a write's. Null: always recorded. */
  dedupeKey?: string | null;
}

/** A change as the log holds it. */
export interface RecordedChange {
  /** Position in the one order every reader sees. */
  seq: number;
  /** Public id: `chg_` and 26 base32 characters. */
  id: string;
  accountId: string;
  kind: ChangeKind;
  objectType: string;
  objectId: string;
  changedFields: string[];
  occurredAt: Date | null;
  recordedAt: Date;
  source: ChangeSource;
  dedupeKey: string | null;
}

export interface ChangeQuery {
  /** Whose changes; undefined: every account's (webhooks out). */
  accountIds?: readonly string[];
  /** Only changes after this position (0: from the start). */
  afterSeq: number;
  /** Only these object types (concrete typenames); undefined or null: all. */
  types?: readonly string[] | null;
  /** Only changes recorded at or after this instant (retention); undefined: all. */
  recordedSince?: Date;
  limit: number;
}

// Taken by every recording: see the module comment. Distinct from the migration lock.
const RECORDING_LOCK = 727_111_005;
// Parameters per row below; Postgres takes at most 65,535 per statement.
const ROWS_PER_STATEMENT = 1_000;

const COLUMNS = `seq, id, account_id, kind, object_type, object_id, changed_fields, occurred_at, recorded_at, source, dedupe_key`;

interface Row {
  seq: string | number | bigint;
  id: string;
  account_id: string;
  kind: ChangeKind;
  object_type: string;
  object_id: string;
  changed_fields: string[];
  occurred_at: Date | null;
  recorded_at: Date;
  source: ChangeSource;
  dedupe_key: string | null;
}

/**
 * Records `changes` in one transaction, in the order given, and returns those recorded (a change
 * whose dedupe key the account already has is skipped, as is a repeat within `changes`).
 */
export async function recordChanges(db: Database, changes: readonly NewChange[]): Promise<RecordedChange[]> {
  if (changes.length === 0) return [];
  return db.transaction((tx) => recordChangesIn(tx, changes));
}

/** recordChanges inside a transaction the caller holds (a poll records and moves its snapshot at once). */
export async function recordChangesIn(tx: Queryable, changes: readonly NewChange[]): Promise<RecordedChange[]> {
  const unique = withoutRepeats(changes);
  if (unique.length === 0) return [];
  await lockChangeLog(tx);
  const recorded: RecordedChange[] = [];
  for (let i = 0; i < unique.length; i += ROWS_PER_STATEMENT) {
    recorded.push(...(await insert(tx, unique.slice(i, i + ROWS_PER_STATEMENT))));
  }
  return recorded.sort((a, b) => a.seq - b.seq);
}

/**
 * Takes the recording lock for the rest of `tx` (taking it again is free). A caller that decides what
 * to record from stored state (a poll's snapshot) takes it before reading, so no other recording can
 * slip in between its read and its write.
 */
export async function lockChangeLog(tx: Queryable): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [RECORDING_LOCK]);
}

async function insert(tx: Queryable, changes: readonly NewChange[]): Promise<RecordedChange[]> {
  const params: unknown[] = [];
  const rows = changes.map((change) => {
    const values = [
      newChangeId(),
      change.accountId,
      change.kind,
      change.objectType,
      change.objectId,
      JSON.stringify([...new Set(change.changedFields)]),
      change.occurredAt,
      change.source,
      change.dedupeKey ?? null,
    ];
    const start = params.length;
    params.push(...values);
    return `(${values.map((_, i) => `$${start + i + 1}`).join(', ')})`;
  });
  const inserted = await tx.query<Row>(
    `insert into changes (id, account_id, kind, object_type, object_id, changed_fields, occurred_at, source, dedupe_key)
     values ${rows.join(', ')}
     on conflict (account_id, dedupe_key) do nothing
     returning ${COLUMNS}`,
    params,
  );
  return inserted.map(toChange);
}

/** Changes after `afterSeq`, oldest first, at most `limit`. */
export async function readChanges(db: Queryable, query: ChangeQuery): Promise<RecordedChange[]> {
  const { where, params } = filter(query);
  params.push(query.limit);
  const rows = await db.query<Row>(`select ${COLUMNS} from changes where ${where} order by seq limit $${params.length}`, params);
  return rows.map(toChange);
}

/** How many changes the query would read without its limit. */
export async function countChanges(db: Queryable, query: Omit<ChangeQuery, 'limit'>): Promise<number> {
  const { where, params } = filter(query);
  const [row] = await db.query<{ count: number }>(`select count(*)::int as count from changes where ${where}`, params);
  return row?.count ?? 0;
}

/** When the account's change at `seq` was recorded; null when it has none there (never, or swept). */
export async function recordedAt(db: Queryable, accountId: string, seq: number): Promise<Date | null> {
  const [row] = await db.query<{ recorded_at: Date }>('select recorded_at from changes where seq = $1 and account_id = $2', [seq, accountId]);
  return row?.recorded_at ?? null;
}

/** Deletes changes recorded before `before` (retention); returns how many. */
export async function sweepChanges(db: Queryable, before: Date): Promise<number> {
  const rows = await db.query<{ seq: unknown }>('delete from changes where recorded_at < $1 returning seq', [before]);
  return rows.length;
}

function filter(query: Omit<ChangeQuery, 'limit'>): { where: string; params: unknown[] } {
  const params: unknown[] = [query.afterSeq];
  const clauses = ['seq > $1'];
  if (query.accountIds !== undefined) {
    params.push([...query.accountIds]);
    clauses.push(`account_id = any($${params.length}::text[])`);
  }
  if (query.types != null) {
    params.push([...query.types]);
    clauses.push(`object_type = any($${params.length}::text[])`);
  }
  if (query.recordedSince !== undefined) {
    params.push(query.recordedSince);
    clauses.push(`recorded_at >= $${params.length}`);
  }
  return { where: clauses.join(' and '), params };
}

/** The first change of each dedupe key: later ones in the same batch would be skipped by the table anyway. */
function withoutRepeats(changes: readonly NewChange[]): NewChange[] {
  const seen = new Set<string>();
  return changes.filter((change) => {
    if (change.dedupeKey == null) return true;
    const key = `${change.accountId}\u0000${change.dedupeKey}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** `chg_` and 26 base32 characters (130 random bits): never guessed, never repeated. */
export function newChangeId(): string {
  return 'chg_' + [...randomBytes(26)].map((byte) => ALPHABET[byte % 32]).join('');
}

function toChange(row: Row): RecordedChange {
  return {
    seq: Number(row.seq),
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    objectType: row.object_type,
    objectId: row.object_id,
    changedFields: row.changed_fields,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    source: row.source,
    dedupeKey: row.dedupe_key,
  };
}
