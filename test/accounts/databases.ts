import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database } from '../../src/accounts/db.js';
import { LATEST_VERSION, migrate } from '../../src/accounts/migrations.js';
import { Secret } from '../../src/secret.js';
import { isRequired } from '../support/required.js';

// The installed PGlite (its package.json is not exported): a new version gets a new template.
const PGLITE_VERSION = (
  JSON.parse(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string }
).version;
// The migrations as written: branches that number their migrations alike (each with its own version
// 3 or 4) share /tmp, and must never be handed each other's template.
const MIGRATIONS_DIGEST = createHash('sha256')
  .update(readFileSync(new URL('../../src/accounts/migrations.ts', import.meta.url)))
  .digest('hex')
  .slice(0, 12);

/** Where a test's registry lives: a fresh PGlite directory, or a fresh database on a real server. */
export interface TestDatabase {
  databaseUrl: Secret | undefined;
  dataDir: string;
  drop(): Promise<void>;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  /** Skipped when no server is configured, unless REQUIRE_POSTGRES=1: then a missing server fails the tests. */
  available: boolean;
  create(): Promise<TestDatabase>;
}

const serverUrl = process.env.TEST_DATABASE_URL;

export const BACKENDS: readonly Backend[] = [
  { name: 'pglite', available: true, create: createPglite },
  { name: 'postgres', available: serverUrl !== undefined || isRequired('POSTGRES'), create: createPostgres },
];

/**
 * A fresh PGlite directory, copied from a migrated template: PGlite's initdb takes seconds (12 s on a
 * loaded CI machine), opening a copy under one. The template is built once per machine and set of
 * migrations, in a temporary directory renamed into place, so parallel test files never see half of one.
 */
export async function createPglite(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'registry-'));
  await cp(await pgliteTemplate(), join(dataDir, 'pglite'), { recursive: true });
  return { databaseUrl: undefined, dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
}

let template: Promise<string> | undefined;

function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const path = join(tmpdir(), `freshchat-registry-template-pglite-${PGLITE_VERSION}-v${LATEST_VERSION}-${MIGRATIONS_DIGEST}`);
    if (existsSync(join(path, 'PG_VERSION'))) return path;
    const building = await mkdtemp(join(tmpdir(), 'registry-template-'));
    const db = await openDatabase({ databaseUrl: undefined, dataDir: building });
    await migrate(db);
    await db.close();
    await rename(building, path).catch(() => rm(building, { recursive: true, force: true }));
    return path;
  })();
  return template;
}

/** One database per test on the TEST_DATABASE_URL server (its role may CREATE DATABASE). */
async function createPostgres(): Promise<TestDatabase> {
  if (serverUrl === undefined) throw new Error('REQUIRE_POSTGRES=1, but TEST_DATABASE_URL is not set (see .ci/run)');
  const name = `registry_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: new Secret(url.toString()),
    dataDir: '/nonexistent', // never used: a server URL is given
    drop: () => admin(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh CREDENTIALS_KEY. */
export const newKey = (): Secret => new Secret(randomBytes(32).toString('base64'));

/**
 * The test database opened as a replica opens its registry, migrated (what a module under test reads
 * and writes); a second call is a second replica on Postgres.
 */
export async function openMigrated(database: TestDatabase): Promise<Database> {
  const db = await openDatabase({ databaseUrl: database.databaseUrl, dataDir: join(database.dataDir, 'pglite') });
  await migrate(db);
  return db;
}

/**
 * A migrated registry database for the tests of the enclosing file or describe block: created and
 * handed to `opened` before them, closed and dropped after them. PGlite unless a backend is given; an
 * unavailable backend opens nothing (its tests skip).
 */
export function useMigratedDatabase(opened: (db: Database, database: TestDatabase) => void | Promise<void>, backend: Backend = BACKENDS[0]!): void {
  let database: TestDatabase | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    if (!backend.available) return;
    database = await backend.create();
    db = await openMigrated(database);
    await opened(db, database);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });
}
