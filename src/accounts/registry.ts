import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCredentialCipher, type CredentialCipher } from './crypto.js';
import { lockDirectory, privateDirectory } from './data-dir.js';
import { openDatabase, type Database } from './db.js';
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
  /** Accounts whose stored token did not open at start (changed outside the subgraph): to be linked again. */
  readonly unusable: readonly string[];
  close(): Promise<void>;
}

type Settings = Pick<AccountsSettings, 'databaseUrl' | 'dataDir' | 'credentialsKey' | 'previousCredentialsKey'> &
  Partial<Pick<AccountsSettings, 'registryTimeoutMs'>>;

export interface RegistryHooks {
  /** Called just before a new PGlite registry is created (its initdb takes seconds): say so. */
  onCreate?: (dataDir: string) => void;
}

/**
 * Opens the registry as the process starts: connects (Postgres or PGlite), applies migrations (with
 * the key, which migration 4 needs to re-seal tokens), and checks that the configured key decrypts
 * every stored row, so a wrong CREDENTIALS_KEY stops the start with one line (a KeyCheckError)
 * instead of failing the first query. A registry that cannot be opened at all (a damaged PGlite
 * directory, an unreachable server) stops it with one line naming DATA_DIR or DATABASE_URL.
 *
 * PGlite keeps its database in `<DATA_DIR>/pglite`. Creating one runs initdb in WebAssembly, which
 * takes seconds; a directory that does not exist yet holds no account to check, so it is created at the
 * registry's first use (in a temporary directory renamed into place, so an interrupted start leaves no
 * half database), and a process that never links an account never creates one. DATA_DIR is private
 * to the user running the subgraph (./data-dir.ts).
 */
export async function openRegistry(settings: Settings, hooks: RegistryHooks = {}): Promise<Registry> {
  const started = performance.now();
  const cipher = settings.credentialsKey && createCredentialCipher(settings.credentialsKey, settings.previousCredentialsKey);
  const pgliteDir = join(settings.dataDir, 'pglite');
  const fresh = settings.databaseUrl === undefined && !existsSync(join(pgliteDir, 'PG_VERSION'));
  // Held from the start, created or not: another process learns at once that it must not open it.
  const unlock = fresh && !settings.dataDir.startsWith('memory://') ? await holdDirectory(settings.dataDir, pgliteDir) : async () => undefined;
  const options = { databaseUrl: settings.databaseUrl, timeoutMs: settings.registryTimeoutMs };
  let opening: Promise<{ db: Database; ms: number }> | undefined;
  const open = () =>
    (opening ??= (async () => {
      const begun = fresh ? performance.now() : started;
      if (fresh) hooks.onCreate?.(settings.dataDir);
      if (settings.databaseUrl === undefined) await privateDirectory(settings.dataDir);
      const db = fresh ? await createPglite(pgliteDir, options.timeoutMs) : await openDatabase({ ...options, dataDir: pgliteDir });
      await migrateOrClose(db, cipher);
      return { db, ms: performance.now() - begun };
    })());
  const db = deferred(settings.databaseUrl ? 'postgres' : 'pglite', async () => (await open()).db, () => opening !== undefined);
  const store = createAccountStore(db, cipher);
  const unusable: string[] = [];
  const close = async () => {
    await db.close();
    await unlock();
  };
  const registry: Registry = { db, store, fresh, unusable, isOpen: () => opening !== undefined, ready: async () => (await open()).ms, close };
  if (fresh) return registry;
  try {
    await registry.ready();
    unusable.push(...(await store.checkKeys()).unusable);
    return registry;
  } catch (error) {
    await close();
    throw error;
  }
}

async function holdDirectory(dataDir: string, pgliteDir: string): Promise<() => Promise<void>> {
  await privateDirectory(dataDir);
  return lockDirectory(pgliteDir);
}

async function migrateOrClose(db: Database, cipher: CredentialCipher | undefined): Promise<void> {
  try {
    await migrate(db, cipher);
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function createPglite(dir: string, timeoutMs: number | undefined): Promise<Database> {
  const building = `${dir}.init-${randomBytes(4).toString('hex')}`;
  const db = await openDatabase({ databaseUrl: undefined, dataDir: building, timeoutMs });
  await migrate(db);
  await db.close();
  await rename(building, dir);
  return openDatabase({ databaseUrl: undefined, dataDir: dir, timeoutMs });
}

/** A Database opened by its first call; closing one that was never opened does nothing. */
function deferred(kind: Database['kind'], open: () => Promise<Database>, started: () => boolean): Database {
  let closing: Promise<void> | undefined;
  return {
    kind,
    query: async (sql, params, options) => (await open()).query(sql, params, options),
    transaction: async (fn, options) => (await open()).transaction(fn, options),
    close: () => (closing ??= started() ? open().then((db) => db.close(), () => undefined) : Promise.resolve()),
  };
}
