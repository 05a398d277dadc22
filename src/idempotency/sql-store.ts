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
 * The registry's table, unless the registry is a PGlite database not created yet: creating one takes
 * seconds (initdb), which a first keyed write must not wait for, and PGlite serves one process
 * anyway, so the in-process store (undefined here) gives the same guarantees until the next start.
 */
export function registryIdempotencyStore(registry: { fresh: boolean; db: SqlClient }): IdempotencyStore | undefined {
  return registry.fresh ? undefined : createSqlIdempotencyStore(registry.db);
}

export function createSqlIdempotencyStore(db: SqlClient): IdempotencyStore {
  let lastSweep = Number.NEGATIVE_INFINITY;
  const read = async (accountId: string, key: string, now: number): Promise<IdempotencyEntry | null> => {
    const rows = await db.query<Row>(
      `select fingerprint, outcome, extract(epoch from lease_until)::float8 * 1000 as lease_until_ms
         from idempotency_keys where account_id = $1 and key = $2 and expires_at > ${at(3)}`,
      [accountId, key, now],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  };
  return {
    async claim({ accountId, key, fingerprint, now, leaseUntil, expiresAt }) {
      if (now - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = now;
        await db.query(`delete from idempotency_keys where expires_at <= ${at(1)}`, [now]);
      }
      for (;;) {
        await db.query(`delete from idempotency_keys where account_id = $1 and key = $2 and expires_at <= ${at(3)}`, [accountId, key, now]);
        const inserted = await db.query(
          `insert into idempotency_keys (account_id, key, fingerprint, lease_until, expires_at)
             values ($1, $2, $3, ${at(4)}, ${at(5)}) on conflict (account_id, key) do nothing returning key`,
          [accountId, key, fingerprint, leaseUntil, expiresAt],
        );
        if (inserted.length > 0) return { claimed: true };
        const entry = await read(accountId, key, now);
        // Gone between the insert and the read (expired or released): try the insert again.
        if (entry) return { claimed: false, entry };
      }
    },
    read,
    async complete(accountId, key, outcome, expiresAt) {
      await db.query(`update idempotency_keys set outcome = $3::jsonb, expires_at = ${at(4)} where account_id = $1 and key = $2`, [
        accountId,
        key,
        JSON.stringify(outcome),
        expiresAt,
      ]);
    },
    async release(accountId, key) {
      await db.query('delete from idempotency_keys where account_id = $1 and key = $2 and outcome is null', [accountId, key]);
    },
  };
}

/** jsonb comes back parsed from `pg` and PGlite alike; a string is parsed here should a driver not. */
function toEntry(row: Row): IdempotencyEntry {
  const outcome = typeof row.outcome === 'string' ? (JSON.parse(row.outcome) as StoredOutcome) : (row.outcome ?? undefined);
  return { fingerprint: row.fingerprint, outcome, leaseUntil: Number(row.lease_until_ms) };
}
