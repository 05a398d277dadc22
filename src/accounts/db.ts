import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Secret } from '../secret.js';

/**
 * The registry's SQL connection: a real Postgres server through `pg`, or the embedded PGlite.
 *
 * Why `pg` directly rather than a query builder: both `pg` and PGlite answer the same
 * `query(text, params) → { rows }` with `$1` placeholders, so one set of plain SQL statements
 * (src/accounts/store.ts, a dozen of them) serves both with no dialect layer. Kysely would add types
 * to those statements, but its current line needs Node 22 (we support 20.18) and its PGlite dialects
 * lag PGlite's releases (their peer ranges stop at 0.4; PGlite is at 0.5).
 */
export interface Queryable {
  query<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: Secret | undefined;
  /** PGlite's directory when there is no databaseUrl; `memory://` keeps it in memory (tests). */
  dataDir: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl === undefined ? openPglite(options.dataDir) : openPostgres(options.databaseUrl.reveal());
}

async function openPglite(dataDir: string): Promise<Database> {
  const memory = dataDir.startsWith('memory://');
  if (!memory) await mkdir(dataDir, { recursive: true });
  const unlock = memory ? async () => undefined : await lockDirectory(dataDir);
  const db = await PGlite.create(dataDir).catch(async (error: unknown) => {
    await unlock();
    throw error;
  });
  const on = (q: Pick<PGlite, 'query'>): Queryable => ({
    query: async <R>(sql: string, params?: readonly unknown[]) => (await q.query<R>(sql, params as unknown[])).rows,
  });
  return {
    kind: 'pglite',
    ...on(db),
    transaction: (fn) => db.transaction((tx) => fn(on(tx))),
    close: async () => {
      await db.close();
      await unlock();
    },
  };
}

/** Two processes on one PGlite directory would corrupt it: a start-up failure naming the setting. */
export class DirectoryInUseError extends Error {
  readonly problems: string[];
  constructor(dataDir: string, pid: number) {
    super(`DATA_DIR ${dataDir} is in use by process ${pid}: PGlite serves one process at a time (replicas need DATABASE_URL)`);
    this.name = 'DirectoryInUseError';
    this.problems = [this.message];
  }
}

/**
 * `<dir>.pid` names the process holding the directory; a holder that is no longer alive is replaced.
 * The registry takes it as the process starts, before the database exists, so a second process (the
 * accounts CLI beside a running server) finds its holder even before the first link creates it.
 */
export async function lockDirectory(dataDir: string): Promise<() => Promise<void>> {
  const path = `${dataDir}.pid`;
  try {
    await writeFile(path, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = await directoryHolder(dataDir);
    if (holder !== undefined) throw new DirectoryInUseError(dataDir, holder);
    await writeFile(path, String(process.pid));
  }
  return () => rm(path, { force: true });
}

/** The live process (other than this one) holding a PGlite directory, if any. */
export async function directoryHolder(dataDir: string): Promise<number | undefined> {
  const holder = Number.parseInt(await readFile(`${dataDir}.pid`, 'utf8').catch(() => ''), 10);
  return holder > 0 && holder !== process.pid && isAlive(holder) ? holder : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPostgres(connectionString: string): Promise<Database> {
  // A small pool: the registry is read once per request and account, and written rarely.
  const pool = new pg.Pool({ connectionString, max: 5, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server (a Postgres restart) must not crash the process.
  pool.on('error', () => undefined);
  const on = (q: Pick<pg.Pool, 'query'>): Queryable => ({
    query: async <R>(sql: string, params?: readonly unknown[]) =>
      (await q.query(sql, params as unknown[])).rows as R[],
  });
  const db: Database = {
    kind: 'postgres',
    ...on(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(on(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
  await db.query('select 1'); // fail at start, with the server's reason, not at the first request
  return db;
}
