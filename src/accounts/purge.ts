import type { Queryable } from './db.js';

/**
 * Every table that keeps something per account id, beside `accounts` itself (idempotency keys are
 * kept per account key and erased by the store with it). Unlinking or re-pointing deletes the
 * account's rows in all of them, in the transaction that changes the account, so an id linked again
 * later, or sent to another Freshchat account, starts with nothing of the old one (its changes, sync
 * state, webhook key). A new per-account table adds its name here.
 */
const PER_ACCOUNT_TABLES = ['changes', 'sync_snapshots', 'sync_progress', 'sync_leases', 'webhook_keys'] as const;

export async function purgeAccountState(tx: Queryable, accountId: string): Promise<void> {
  for (const table of PER_ACCOUNT_TABLES) await tx.query(`delete from ${table} where account_id = $1`, [accountId]);
}
