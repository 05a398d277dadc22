import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCredentialCipher } from './crypto.js';
import { lockDirectory, openDatabase, type Database } from './db.js';
import { migrate } from './migrations.js';
import type { AccountsSettings } from './settings.js';
import { createAccountStore, type AccountStore } from './store.js';

export interface Registry {
  readonly db: Database;
  readonly store: AccountStore;
  /** A PGlite directory that did not exist yet: it is created at first use. */
  readonly fresh: boolean;
  /** Whether the database was opened (always, unless `fresh` and unused so far). */
  isOpen(): boolean;
  /** Opens the database if it is not yet (see below); resolves with the milliseconds opening took. */
  ready(): Promise<number>;
  close(): Promise<void>;
}

type Settings = Pick<AccountsSettings, 'databaseUrl' | 'dataDir' | 'credentialsKey' | 'previousCredentialsKey'>;

export interface RegistryHooks {
  /** Called just before a new PGlite registry is created (its initdb takes seconds): say so. */
  onCreate?: (dataDir: string) => void;
}

/**
 * Opens the registry as the process starts: connects (Postgres or PGlite), applies migrations, and
 * checks that the configured key decrypts every stored row, so a wrong CREDENTIALS_KEY stops the
 * start with one line (a KeyCheckError) instead of failing the first query.
 *
 * PGlite keeps its database in `<DATA_DIR>/pglite`. Creating one runs initdb in WebAssembly, which
 * takes seconds; a directory that does not exist yet holds no account to check, so it is created at the
 * registry's first use (in a temporary directory renamed into place, so an interrupted start leaves no
 * half database), and a process that never links an account never creates one.
 */
export async function openRegistry(settings: Settings, hooks: RegistryHooks = {}): Promise<Registry> {
  const started = performance.now();
  const cipher = settings.credentialsKey && createCredentialCipher(settings.credentialsKey, settings.previousCredentialsKey);
  const pgliteDir = join(settings.dataDir, 'pglite');
  const fresh = settings.databaseUrl === undefined && !existsSync(join(pgliteDir, 'PG_VERSION'));
  // Held from the start, created or not: another process learns at once that it must not open it.
  const unlock = fresh && !settings.dataDir.startsWith('memory://') ? await holdDirectory(settings.dataDir, pgliteDir) : async () => undefined;
  let opening: Promise<{ db: Database; ms: number }> | undefined;
  const open = () =>
    (opening ??= (async () => {
      const begun = fresh ? performance.now() : started;
      if (fresh) hooks.onCreate?.(settings.dataDir);
      const db = fresh ? await createPglite(pgliteDir) : await openDatabase({ databaseUrl: settings.databaseUrl, dataDir: pgliteDir });
      await migrate(db);
      return { db, ms: performance.now() - begun };
    })());
  const db = deferred(settings.databaseUrl ? 'postgres' : 'pglite', async () => (await open()).db, () => opening !== undefined);
  const store = createAccountStore(db, cipher);
  const close = async () => {
    await db.close();
    await unlock();
  };
  const registry: Registry = { db, store, fresh, isOpen: () => opening !== undefined, ready: async () => (await open()).ms, close };
  if (fresh) return registry;
  try {
    await registry.ready();
    await store.checkKeys();
    return registry;
  } catch (error) {
    await close();
    throw error;
  }
}

async function holdDirectory(dataDir: string, pgliteDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  return lockDirectory(pgliteDir);
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

/** A Database opened by its first call; closing one that was never opened does nothing. */
function deferred(kind: Database['kind'], open: () => Promise<Database>, started: () => boolean): Database {
  let closing: Promise<void> | undefined;
  return {
    kind,
    query: async (sql, params) => (await open()).query(sql, params),
    transaction: async (fn) => (await open()).transaction(fn),
    close: () => (closing ??= started() ? open().then((db) => db.close(), () => undefined) : Promise.resolve()),
  };
}
