import type { Queryable } from './db.js';

/**
 * Every table that keeps something per account, beside `accounts` itself. Unlinking deletes the
 * account's rows in all of them, in the transaction that deletes the account, so an id linked again
 * later starts with nothing of the old account (its changes, sync state, webhook key, write results).
 * A new per-account table adds its name here.
 */
const PER_ACCOUNT_TABLES = ['changes', 'sync_snapshots', 'sync_progress', 'sync_leases', 'webhook_keys', 'idempotency_keys'] as const;

export async function purgeAccountState(tx: Queryable, accountId: string): Promise<void> {
  for (const table of PER_ACCOUNT_TABLES) await tx.query(`delete from ${table} where account_id = $1`, [accountId]);
}
