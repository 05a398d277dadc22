/**
 * The states the change log compares against (`sync_snapshots`) and each polled list's progress
 * (`sync_progress`), both in the registry database (migration 5). Every function takes the
 * transaction its caller records changes in, so a state and the change it explains move together.
 */
import type { Queryable } from '../accounts/db.js';
import type { State, TrackedType } from './states.js';

/** A polled list of an account: the directory (agents, groups, roles together) or contacts. */
export type PolledList = 'directory' | 'contacts';

export interface Progress {
  baselineAt: Date;
  /** Contacts: the latest `updated_time` seen; the next poll asks for contacts updated from then. */
  highWaterMark: Date | null;
}

export async function loadStates(tx: Queryable, accountId: string, type: TrackedType, remoteIds?: readonly string[]): Promise<Map<string, State>> {
  const rows = remoteIds
    ? await tx.query<{ remote_id: string; state: State }>(
        'select remote_id, state from sync_snapshots where account_id = $1 and object_type = $2 and remote_id = any($3::text[])',
        [accountId, type, [...remoteIds]],
      )
    : await tx.query<{ remote_id: string; state: State }>('select remote_id, state from sync_snapshots where account_id = $1 and object_type = $2', [
        accountId,
        type,
      ]);
  return new Map(rows.map((row) => [row.remote_id, row.state]));
}

/** Upserts states; with `merge`, each is merged into the stored one (a partial state). */
export async function saveStates(tx: Queryable, accountId: string, type: TrackedType, states: ReadonlyMap<string, State>, merge = false): Promise<void> {
  if (states.size === 0) return;
  const rows = JSON.stringify([...states].map(([id, state]) => ({ id, state })));
  const value = merge ? 'sync_snapshots.state || excluded.state' : 'excluded.state';
  await tx.query(
    `insert into sync_snapshots (account_id, object_type, remote_id, state)
     select $1, $2, row->>'id', row->'state' from jsonb_array_elements($3::jsonb) as row
     on conflict (account_id, object_type, remote_id) do update set state = ${value}`,
    [accountId, type, rows],
  );
}

export async function dropStates(tx: Queryable, accountId: string, type: TrackedType, remoteIds: readonly string[]): Promise<void> {
  if (remoteIds.length === 0) return;
  await tx.query('delete from sync_snapshots where account_id = $1 and object_type = $2 and remote_id = any($3::text[])', [
    accountId,
    type,
    [...remoteIds],
  ]);
}

export async function loadProgress(tx: Queryable, accountId: string, list: PolledList): Promise<Progress | null> {
  const [row] = await tx.query<{ baseline_at: Date; high_water_mark: Date | null }>(
    'select baseline_at, high_water_mark from sync_progress where account_id = $1 and list = $2',
    [accountId, list],
  );
  return row ? { baselineAt: row.baseline_at, highWaterMark: row.high_water_mark } : null;
}

/** Records a poll of `list`: its baseline the first time, and the contacts' high-water mark. */
export async function saveProgress(tx: Queryable, accountId: string, list: PolledList, at: Date, highWaterMark: Date | null): Promise<void> {
  await tx.query(
    `insert into sync_progress (account_id, list, baseline_at, high_water_mark, polled_at) values ($1, $2, $3, $4, $3)
     on conflict (account_id, list) do update set high_water_mark = excluded.high_water_mark, polled_at = excluded.polled_at`,
    [accountId, list, at, highWaterMark],
  );
}
