import { performance } from 'node:perf_hooks';
import { createCredentialCipher } from './crypto.js';
import { openDatabase, type Database } from './db.js';
import { migrate } from './migrations.js';
import type { AccountsSettings } from './settings.js';
import { createAccountStore, type AccountStore } from './store.js';

export interface Registry {
  readonly db: Database;
  readonly store: AccountStore;
  /** Milliseconds from open to migrated and key-checked (the README quotes it for PGlite). */
  readonly startMs: number;
  close(): Promise<void>;
}

/**
 * Opens the registry as the process starts: connects (Postgres or PGlite), applies migrations, and
 * checks that the configured key decrypts every stored row, so a wrong CREDENTIALS_KEY stops the
 * start with one line (a KeyCheckError) instead of failing the first query.
 */
export async function openRegistry(settings: Pick<AccountsSettings, 'databaseUrl' | 'dataDir' | 'credentialsKey' | 'previousCredentialsKey'>): Promise<Registry> {
  const started = performance.now();
  const cipher = settings.credentialsKey && createCredentialCipher(settings.credentialsKey, settings.previousCredentialsKey);
  const db = await openDatabase(settings);
  try {
    await migrate(db);
    const store = createAccountStore(db, cipher);
    await store.checkKeys();
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= db.close());
    return { db, store, startMs: performance.now() - started, close };
  } catch (error) {
    await db.close();
    throw error;
  }
}
