/**
 * Idempotency keys in the registry database (docs/design.md#linked-accounts, docs/design.md#writes-and-idempotency): Postgres shared by every replica, or
 * the embedded PGlite. The row's primary key (account, key) is the lock: of any number of requests,
 * on any number of replicas, exactly one inserts it and writes; the others find the row and wait for
 * its outcome. Times are passed in from the caller's clock (not the server's now()), so expiry is
 * decided by one clock and tests can move it.
 */
import type { IdempotencyEntry, IdempotencyStore, StoredOutcome } from './store.js';

// The table is created by the registry's migration 2 (src/accounts/migrations.ts).

/** The one call the store needs: `pg` and PGlite (src/accounts/db.ts) both answer it. */
export interface SqlClient {
  query<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

const at = (param: number) => `to_timestamp($${param}::float8 / 1000)`;

/** Expired rows are swept at most this often per process (lookups ignore them anyway). */
const SWEEP_EVERY_MS = 60_000;

interface Row {
  fingerprint: string;
  outcome: StoredOutcome | string | null;
  lease_until_ms: number | string;
}

/**
 * The registry's table, for every account, the environment account's included: a key must outlive
 * its process, or a write cut by a crash is written again by the client's retry. A PGlite registry
 * that does not exist yet (no account was ever linked) is created by the first keyed write, which
 * waits for it once (PGlite's initdb: seconds); README "Writes".
 */
export function createSqlIdempotencyStore(db: SqlClient): IdempotencyStore {
  let lastSweep = Number.NEGATIVE_INFINITY;
  const read = async (accountKey: string, key: string, now: number): Promise<IdempotencyEntry | null> => {
    const rows = await db.query<Row>(
      `select fingerprint, outcome, extract(epoch from lease_until)::float8 * 1000 as lease_until_ms
         from idempotency_keys where account_key = $1 and key = $2 and expires_at > ${at(3)}`,
      [accountKey, key, now],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  };
  return {
    async claim({ accountKey, key, fingerprint, now, leaseUntil, expiresAt }) {
      if (now - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = now;
        await db.query(`delete from idempotency_keys where expires_at <= ${at(1)}`, [now]);
      }
      for (;;) {
        await db.query(`delete from idempotency_keys where account_key = $1 and key = $2 and expires_at <= ${at(3)}`, [accountKey, key, now]);
        const inserted = await db.query(
          `insert into idempotency_keys (account_key, key, fingerprint, lease_until, expires_at)
             values ($1, $2, $3, ${at(4)}, ${at(5)}) on conflict (account_key, key) do nothing returning key`,
          [accountKey, key, fingerprint, leaseUntil, expiresAt],
        );
        if (inserted.length > 0) return { claimed: true };
        const entry = await read(accountKey, key, now);
        // Gone between the insert and the read (expired or released): try the insert again.
        if (entry) return { claimed: false, entry };
      }
    },
    read,
    async complete(accountKey, key, outcome, expiresAt) {
      await db.query(`update idempotency_keys set outcome = $3::jsonb, expires_at = ${at(4)} where account_key = $1 and key = $2`, [
        accountKey,
        key,
        JSON.stringify(outcome),
        expiresAt,
      ]);
    },
    async release(accountKey, key) {
      await db.query('delete from idempotency_keys where account_key = $1 and key = $2 and outcome is null', [accountKey, key]);
    },
  };
}

/** jsonb comes back parsed from `pg` and PGlite alike; a string is parsed here should a driver not. */
function toEntry(row: Row): IdempotencyEntry {
  const outcome = typeof row.outcome === 'string' ? (JSON.parse(row.outcome) as StoredOutcome) : (row.outcome ?? undefined);
  return { fingerprint: row.fingerprint, outcome, leaseUntil: Number(row.lease_until_ms) };
}
