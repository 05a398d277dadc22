import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryStartError } from '../../src/accounts/db.js';
import { openRegistry } from '../../src/accounts/registry.js';
import { createPglite, newKey, type TestDatabase } from './databases.js';

/**
 * The embedded registry's files (README "Linked accounts"): DATA_DIR holds account ids, URLs,
 * tenants, ciphertexts and the WAL of all of it, so no other user of the machine may read it; and a
 * DATA_DIR that cannot be opened stops the start with one line naming it.
 */
async function* entriesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    yield path;
    if (entry.isDirectory()) yield* entriesUnder(path);
  }
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** As an older version, a copied backup or a umask of 022 leave it: everything open to others. */
async function loosen(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for await (const path of entriesUnder(dir)) await chmod(path, (await stat(path)).isDirectory() ? 0o755 : 0o666);
}

const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const database of databases.splice(0)) await database.drop();
});

async function pglite(): Promise<TestDatabase> {
  const database = await createPglite();
  databases.push(database);
  return database;
}

describe('DATA_DIR', () => {
  it('is made 0700 at start, and leaves no file or directory under it open to group or others, the WAL included', async () => {
    const database = await pglite();
    await loosen(database.dataDir);
    const registry = await openRegistry({ ...database, credentialsKey: newKey(), previousCredentialsKey: undefined });
    expect(await modeOf(database.dataDir)).toBe(0o700);
    await registry.store.insert({ name: 'n', apiUrl: 'https://a.freshchat.com/v2', tenant: 't', token: 'some-token-0123456789' });
    await registry.close();
    const open: string[] = [];
    let walFiles = 0;
    for await (const path of entriesUnder(database.dataDir)) {
      if ((await modeOf(path)) & 0o077) open.push(path);
      if (path.includes('pg_wal')) walFiles += 1;
    }
    expect(open).toEqual([]);
    expect(walFiles).toBeGreaterThan(0);
  }, 60_000);

  it.skipIf(process.getuid?.() !== 0)('keeps another user out while the registry is open (checked as nobody)', async () => {
    const database = await pglite();
    await loosen(database.dataDir);
    const registry = await openRegistry({ ...database, credentialsKey: newKey(), previousCredentialsKey: undefined });
    try {
      await registry.store.insert({ name: 'n', apiUrl: 'https://a.freshchat.com/v2', tenant: 't', token: 'some-token-0123456789' });
      const control = join(database.dataDir, 'pglite', 'global', 'pg_control');
      const asNobody = spawnSync('cat', [control], { uid: 65_534, gid: 65_534 });
      expect(asNobody.status).not.toBe(0);
      expect(asNobody.stderr.toString()).toMatch(/Permission denied/);
    } finally {
      await registry.close();
    }
  }, 60_000);
});

describe('a DATA_DIR PGlite cannot open', () => {
  it.each([
    ['a damaged control file', 'global/pg_control'],
    ['a damaged write-ahead log', 'pg_wal'],
  ])('stops the start with one line naming DATA_DIR and what to do (%s), and releases the directory', async (_case, target) => {
    const database = await pglite();
    const dir = join(database.dataDir, 'pglite');
    const files = target === 'pg_wal' ? (await readdir(join(dir, target))).filter((f) => /^[0-9A-F]{24}$/.test(f)).map((f) => join(dir, target, f)) : [join(dir, target)];
    for (const file of files) await writeFile(file, Buffer.alloc((await readFile(file)).length, 0x41));
    const opening = openRegistry({ ...database, credentialsKey: newKey(), previousCredentialsKey: undefined });
    await expect(opening).rejects.toBeInstanceOf(RegistryStartError);
    const error = (await opening.catch((e: unknown) => e)) as RegistryStartError;
    expect(error.problems).toEqual([expect.stringMatching(new RegExp(`^DATA_DIR: the registry database in ${dir} cannot be opened \\(.*\\): .*restore it from a backup, or move it away`))]);
    expect(error.message).not.toContain('\n');
    expect(existsSync(`${dir}.pid`)).toBe(false);
  }, 60_000);
});
