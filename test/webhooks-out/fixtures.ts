import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createCredentialCipher } from '../../src/accounts/crypto.js';
import { openDatabase, type Database } from '../../src/accounts/db.js';
import { migrate } from '../../src/accounts/migrations.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { NewChange } from '../../src/sync/change-log.js';
import { createEndpointStore, type EndpointStore, type NewEndpoint } from '../../src/webhooks-out/endpoints.js';
import type { TestDatabase } from '../accounts/databases.js';
import { newKey } from '../accounts/databases.js';

/** A connection to the test's registry, migrated (a second call is a second replica on Postgres). */
export async function openMigrated(database: TestDatabase): Promise<Database> {
  const db = await openDatabase({ databaseUrl: database.databaseUrl, dataDir: join(database.dataDir, 'pglite') });
  await migrate(db);
  return db;
}

export const cipher = createCredentialCipher(newKey());

export const endpointStore = (db: Database): EndpointStore => createEndpointStore(db, cipher);

export const endpoint = (url: string, overrides: Partial<NewEndpoint> = {}): NewEndpoint => ({
  url,
  description: null,
  accountIds: null,
  types: null,
  tenant: null,
  ...overrides,
});

let n = 0;
export const change = (overrides: Partial<NewChange> = {}): NewChange => ({
  accountId: 'acme',
  kind: 'UPDATED',
  objectType: 'FreshchatTicketingUser',
  objectId: `agent-${(n += 1)}`,
  changedFields: ['availability'],
  occurredAt: new Date('2025-01-02T03:04:05.000Z'),
  source: 'POLL',
  ...overrides,
});

/** A logger whose lines the test can read. */
export function memoryLogger(): { logger: Logger; lines: () => string } {
  let lines = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((lines += String(chunk)), done()) });
  return { logger: createLogger('debug', sink), lines: () => lines };
}
