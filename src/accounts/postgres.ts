import pg from 'pg';
import { boundOf, isServerError, RegistryStartError, toRegistryError, within } from './db-faults.js';
import type { Database, QueryOptions, Queryable } from './queryable.js';

const POOL_SIZE = 5;

/**
 * The registry on a Postgres server, every statement bounded (README "Linked accounts"): waiting for
 * a connection and running the statement together take at most the bound, the client gives up
 * (`query_timeout`) and so does the server (`statement_timeout`). A connection whose statement timed
 * out or whose socket failed is destroyed, never handed to the next caller, so statements stuck on a
 * frozen server hold the small pool for at most the bound, and it refills once the server answers.
 */
export async function openPostgres(connectionString: string, timeoutMs: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString,
    max: POOL_SIZE,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    // A dead server behind an idle connection is noticed by TCP, not by the next request.
    keepAlive: true,
  });
  // An idle client losing its server (a Postgres restart) must not crash the process.
  pool.on('error', () => undefined);
  const db: Database = {
    kind: 'postgres',
    async query<R>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<R[]> {
      const ends = Date.now() + boundOf(timeoutMs, options);
      const client = await acquire(pool, ends);
      const connection = watched(client);
      try {
        return await connection.run<R>(sql, params, ends);
      } finally {
        client.release(connection.broken());
      }
    },
    async transaction(fn, options) {
      const client = await acquire(pool, Date.now() + boundOf(timeoutMs, options));
      const connection = watched(client);
      const tx: Queryable = { query: (sql, params, own) => connection.run(sql, params, Date.now() + boundOf(timeoutMs, own ?? options)) };
      try {
        await tx.query('BEGIN');
        if (options?.timeoutMs !== undefined) await tx.query(`set local statement_timeout = ${Math.trunc(options.timeoutMs)}`);
        const result = await fn(tx);
        await tx.query('COMMIT');
        return result;
      } catch (error) {
        await tx.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release(connection.broken());
      }
    },
    close: () => pool.end(),
  };
  try {
    await db.query('select 1'); // fail at start, with the server's reason, not at the first request
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = toRegistryError(error).reason;
    throw new RegistryStartError(`DATABASE_URL: the registry database cannot be used (${reason}); check that the server is up and the URL, user and password are right`);
  }
  return db;
}

/** A pooled connection by `ends`; one that arrives after the caller gave up goes back to the pool. */
async function acquire(pool: pg.Pool, ends: number): Promise<pg.PoolClient> {
  const pending = pool.connect();
  try {
    return await within(pending, Math.max(1, ends - Date.now()), 'no registry connection');
  } catch (error) {
    void pending.then((client) => client.release(), () => undefined);
    throw toRegistryError(error);
  }
}

/**
 * Statements on one pooled connection, remembering whether one failed without the server's answer
 * (a timeout, a lost socket): such a connection is in an unknown state and is destroyed on release.
 */
function watched(client: pg.PoolClient) {
  let broken: Error | undefined;
  return {
    async run<R>(sql: string, params: readonly unknown[] | undefined, ends: number): Promise<R[]> {
      // `query_timeout` is pg's own, per statement: the call fails at once, the socket stays busy.
      const config: pg.QueryConfig & { query_timeout: number } = { text: sql, values: params as unknown[], query_timeout: Math.max(1, ends - Date.now()) };
      try {
        return (await client.query(config)).rows as R[];
      } catch (error) {
        if (!isServerError(error)) broken = error instanceof Error ? error : new Error('registry statement failed');
        throw toRegistryError(error);
      }
    },
    broken: () => broken,
  };
}
