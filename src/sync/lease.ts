/**
 * Exactly one poller per account across replicas (docs/sync.md): a lease row per account in the
 * registry database. The holder renews it on every tick; once it lapses (its replica stopped or
 * crashed) the next replica to tick takes it. A lease rather than a session-scoped advisory lock,
 * because it needs no connection pinned per account and works alike on Postgres and PGlite.
 * Times come from the caller's clock, so tests move them without sleeping.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../accounts/db.js';

/** Takes or renews the account's lease until `until`; false while another holder's lease runs. */
export async function claimLease(db: Queryable, accountId: string, holder: string, now: Date, until: Date): Promise<boolean> {
  const rows = await db.query<{ holder: string }>(
    `insert into sync_leases (account_id, holder, expires_at) values ($1, $2, $3)
     on conflict (account_id) do update set holder = excluded.holder, expires_at = excluded.expires_at
       where sync_leases.holder = excluded.holder or sync_leases.expires_at <= $4
     returning holder`,
    [accountId, holder, until, now],
  );
  return rows.length > 0;
}

/** Gives up every lease of `holder` (a replica stopping): the others take them at their next tick. */
export async function releaseLeases(db: Queryable, holder: string): Promise<void> {
  await db.query('delete from sync_leases where holder = $1', [holder]);
}

/** Names one poller: readable in the table, unique across processes and restarts. */
export const newHolder = (): string => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
