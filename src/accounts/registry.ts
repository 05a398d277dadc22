import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCredentialCipher } from './crypto.js';
import { openDatabase, type Database } from './db.js';
import { migrate } from './migrations.js';
import type { AccountsSettings } from './settings.js';
import { createAccountStore, type AccountStore } from './store.js';

export interface Registry {
  readonly db: Database;
  readonly store: AccountStore;
  /** Resolves once the database is open and migrated, with the milliseconds that took. */
  readonly ready: Promise<number>;
  close(): Promise<void>;
}

type Settings = Pick<AccountsSettings, 'databaseUrl' | 'dataDir' | 'credentialsKey' | 'previousCredentialsKey'>;

/**
 * Opens the registry as the process starts: connects (Postgres or PGlite), applies migrations, and
 * checks that the configured key decrypts every stored row, so a wrong CREDENTIALS_KEY stops the
 * start with one line (a KeyCheckError) instead of failing the first query.
 *
 * PGlite keeps its database in `<DATA_DIR>/pglite`. Creating one runs initdb in WebAssembly, which
 * takes seconds; a new directory holds no account to check, so it is created in the background (in a
 * temporary directory renamed into place, so an interrupted start leaves no half database) and the
 * server starts at once; the first registry call waits for it.
 */
export async function openRegistry(settings: Settings): Promise<Registry> {
  const started = performance.now();
  const cipher = settings.credentialsKey && createCredentialCipher(settings.credentialsKey, settings.previousCredentialsKey);
  const pgliteDir = join(settings.dataDir, 'pglite');
  const fresh = settings.databaseUrl === undefined && !existsSync(join(pgliteDir, 'PG_VERSION'));
  const opening = fresh ? createPglite(pgliteDir) : openDatabase({ databaseUrl: settings.databaseUrl, dataDir: pgliteDir });
  const db = deferred(settings.databaseUrl ? 'postgres' : 'pglite', opening.then(async (db) => (await migrate(db), db)));
  const store = createAccountStore(db, cipher);
  const ready = opening.then(() => db.query('select 1')).then(() => performance.now() - started);
  if (!fresh) {
    try {
      await ready;
      await store.checkKeys();
    } catch (error) {
      await db.close();
      throw error;
    }
  } else {
    ready.catch(() => undefined); // reported by the first call that needs the database
  }
  return { db, store, ready, close: () => db.close() };
}

async function createPglite(dir: string): Promise<Database> {
  const building = `${dir}.init-${randomBytes(4).toString('hex')}`;
  await mkdir(building, { recursive: true });
  const db = await openDatabase({ databaseUrl: undefined, dataDir: building });
  await migrate(db);
  await db.close();
  await rename(building, dir);
  return openDatabase({ databaseUrl: undefined, dataDir: dir });
}

/** A Database whose calls wait for `opening`; closing it before it opened closes it once it does. */
function deferred(kind: Database['kind'], opening: Promise<Database>): Database {
  let closing: Promise<void> | undefined;
  return {
    kind,
    query: async (sql, params) => (await opening).query(sql, params),
    transaction: async (fn) => (await opening).transaction(fn),
    close: () => (closing ??= opening.then((db) => db.close(), () => undefined)),
  };
}
