import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/accounts/registry.js';
import { BACKENDS, newKey } from './databases.js';
import { encodingsOf } from './encodings.js';

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

const tokens = Array.from({ length: 4 }, () => `fc-${randomBytes(24).toString('base64url')}`);
const found = (haystack: Buffer) => tokens.flatMap(encodingsOf).filter((form) => haystack.includes(form));

describe.each(BACKENDS)('credentials at rest on $name', (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  async function populated() {
    const database = await backend.create();
    cleanup.push(database.drop);
    const oldKey = newKey();
    let registry = await openRegistry({ ...database, credentialsKey: oldKey, previousCredentialsKey: undefined });
    const ids = [];
    for (const [i, token] of tokens.slice(0, 3).entries()) {
      ids.push((await registry.store.insert({ name: `n${i}`, apiUrl: 'https://a.freshchat.com/v2', tenant: null, token })).id);
    }
    await registry.store.update(ids[0]!, { token: tokens[3]! });
    await registry.store.remove(ids[1]!);
    await registry.close();
    // A rotation rewrites every row: neither the old nor the new rows may hold a token.
    registry = await openRegistry({ ...database, credentialsKey: newKey(), previousCredentialsKey: oldKey });
    await registry.store.rotateKey();
    return { database, registry };
  }

  it.skipIf(!backend.available)('holds no token in any table, in clear, base64 or hex', async () => {
    const { registry } = await populated();
    const tables = await registry.db.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = current_schema()`,
    );
    expect(tables.map((t) => t.table_name)).toContain('accounts');
    for (const { table_name } of tables) {
      const rows = await registry.db.query<Record<string, unknown>>(`select * from "${table_name}"`);
      const text = JSON.stringify(rows, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value));
      expect(found(Buffer.from(text, 'latin1')), table_name).toEqual([]);
    }
    await registry.close();
  });

  // A server's files belong to its own user: the file walk is for PGlite, whose files are DATA_DIR.
  if (backend.name === 'pglite') it('holds no token in any file under DATA_DIR, in clear, base64 or hex', async () => {
    const { database, registry } = await populated();
    await registry.close(); // flushed: the WAL and heap files hold everything that was written
    let files = 0;
    for await (const file of filesUnder(database.dataDir)) {
      files += 1;
      expect(found(await readFile(file)), file).toEqual([]);
    }
    expect(files).toBeGreaterThan(100);
  });
});
