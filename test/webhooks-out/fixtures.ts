import { Writable } from 'node:stream';
import { createCredentialCipher } from '../../src/accounts/crypto.js';
import type { Database } from '../../src/accounts/db.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { createEndpointStore, type EndpointStore, type NewEndpoint } from '../../src/webhooks-out/endpoints.js';
import { newKey } from '../accounts/databases.js';

export { openMigrated } from '../accounts/databases.js';
export { change } from '../sync/fixtures.js';

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


/** A logger whose lines the test can read. */
export function memoryLogger(): { logger: Logger; lines: () => string } {
  let lines = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((lines += String(chunk)), done()) });
  return { logger: createLogger('debug', sink), lines: () => lines };
}
