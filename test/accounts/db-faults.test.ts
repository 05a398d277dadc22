import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/accounts/db.js';
import { boundOf, within } from '../../src/accounts/db-faults.js';
import { RegistryUnavailableError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { encodingsOf } from './encodings.js';

/** How a registry statement is bounded, and what its failure may say (./db.ts). */
describe('the bound of a registry statement', () => {
  it.each([
    ['no deadline: the registry timeout', 5_000, undefined, 5_000],
    ['a deadline sooner than the timeout: the deadline', 5_000, { deadline: 10_700 }, 700],
    ['a deadline later than the timeout: the timeout', 5_000, { deadline: 60_000 }, 5_000],
    ['a call of its own (migrations): its timeout, still cut to a deadline', 5_000, { timeoutMs: 120_000, deadline: 40_000 }, 30_000],
  ])('is %s', (_case, timeoutMs, options, expected) => {
    expect(boundOf(timeoutMs, options, 10_000)).toBe(expected);
  });

  it('refuses at once, without a statement, when the deadline has passed', () => {
    expect(() => boundOf(5_000, { deadline: 9_999 }, 10_000)).toThrow(RegistryUnavailableError);
  });

  it('gives up on work that does not answer in time', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(within(never, 10)).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE', reason: 'did not answer within 10 ms' });
  });
});

describe('a statement the database refuses', () => {
  let db: Database;
  const secretParam = 'tenant-name-that-must-stay-private';
  const ciphertext = Buffer.from('ciphertext-bytes-that-must-never-be-logged');

  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
    await db.query('create table t (x text, b bytea)');
  }, 60_000);
  afterAll(() => db?.close());

  it('is a registry error naming its SQLSTATE, and its log line holds neither the statement nor a parameter', async () => {
    // PGlite's own error carries `query` and `params` (the ciphertext included): none of it may reach a log.
    const error = await db.query('insert into t values ($1, $2)', [`${secretParam}\u0000`, ciphertext]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', reason: 'statement failed (SQLSTATE 22021)' });
    let logged = '';
    const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) }));
    logger.warn({ err: error }, 'registry statement failed');
    expect(logged).toContain('SQLSTATE 22021');
    for (const form of [...encodingsOf(secretParam), ...encodingsOf(ciphertext.toString('latin1')), 'insert into t']) expect(logged).not.toContain(form);
  });
});
