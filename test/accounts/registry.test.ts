import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MissingKeyError } from '../../src/accounts/crypto.js';
import { DirectoryInUseError, openDatabase } from '../../src/accounts/db.js';
import { MIGRATION_VERSIONS, migrate } from '../../src/accounts/migrations.js';
import { openRegistry, type Registry } from '../../src/accounts/registry.js';
import { DuplicateAccountError } from '../../src/accounts/store.js';
import { BACKENDS, createPglite, newKey, type TestDatabase } from './databases.js';

const acme = { name: 'Acme', apiUrl: 'https://acme.freshchat.com/v2', tenant: 't-acme', token: 'acme-token-0123456789' };

describe.each(BACKENDS)('the registry on $name', (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function open(keys: { key?: ReturnType<typeof newKey>; previous?: ReturnType<typeof newKey> } = {}, database?: TestDatabase): Promise<{ registry: Registry; database: TestDatabase }> {
    const db = database ?? (await backend.create());
    if (!database) cleanup.push(db.drop);
    const registry = await openRegistry({ ...db, credentialsKey: keys.key, previousCredentialsKey: keys.previous });
    cleanup.push(() => registry.close());
    return { registry, database: db };
  }

  it.skipIf(!backend.available)('stores an account and reads it back with its token', async () => {
    const { registry } = await open({ key: newKey() });
    const stored = await registry.store.insert(acme);
    expect(stored).toMatchObject({ name: 'Acme', apiUrl: acme.apiUrl, tenant: 't-acme', status: 'active', lastErrorCode: null });
    expect(stored.id).toMatch(/^acc_[a-z2-7]{16}$/);
    const found = await registry.store.getWithToken(stored.id);
    expect(found?.token.reveal()).toBe(acme.token);
    expect(await registry.store.list()).toEqual([stored]);
  });

  it.skipIf(!backend.available)('keeps a given id and refuses a second account with it', async () => {
    const { registry } = await open({ key: newKey() });
    await registry.store.insert({ ...acme, id: 'acme' });
    await expect(registry.store.insert({ ...acme, id: 'acme' })).rejects.toBeInstanceOf(DuplicateAccountError);
  });

  it.skipIf(!backend.available)('applies each migration once, however often it starts', async () => {
    const { registry } = await open({ key: newKey() });
    expect(await migrate(registry.db)).toEqual([]);
    const versions = await registry.db.query<{ version: number }>('select version from schema_migrations order by version');
    expect(versions.map((v) => v.version)).toEqual([...MIGRATION_VERSIONS]);
  });

  it.skipIf(!backend.available)('serves the same accounts after a restart', async () => {
    const key = newKey();
    const first = await open({ key });
    const stored = await first.registry.store.insert(acme);
    await first.registry.close();
    const second = await open({ key }, first.database);
    expect((await second.registry.store.getWithToken(stored.id))?.token.reveal()).toBe(acme.token);
  });

  it.skipIf(!backend.available)('refuses to store an account without CREDENTIALS_KEY', async () => {
    const { registry } = await open();
    await expect(registry.store.insert(acme)).rejects.toBeInstanceOf(MissingKeyError);
    await expect(registry.store.insert(acme)).rejects.toThrow(/CREDENTIALS_KEY is not set/);
  });

  it.skipIf(!backend.available)('updates name, URL and token, and a new token marks it active again', async () => {
    const { registry } = await open({ key: newKey() });
    const stored = await registry.store.insert(acme);
    await registry.store.setStatus(stored.id, 'invalid_credentials', 'UNAUTHENTICATED');
    const updated = await registry.store.update(stored.id, { token: 'new-token-0123456789', name: 'Acme 2' });
    expect(updated?.account).toMatchObject({ name: 'Acme 2', status: 'active', lastErrorCode: null, apiUrl: acme.apiUrl });
    expect((await registry.store.getWithToken(stored.id))?.token.reveal()).toBe('new-token-0123456789');
  });

  it.skipIf(!backend.available)('deletes the row with its ciphertext', async () => {
    const { registry } = await open({ key: newKey() });
    const stored = await registry.store.insert(acme);
    expect(await registry.store.remove(stored.id)).toEqual({ retiredKey: expect.stringMatching(new RegExp(`^${stored.id}:`)) });
    expect(await registry.store.get(stored.id)).toBeNull();
    expect(await registry.db.query('select * from accounts')).toEqual([]);
    expect(await registry.store.remove(stored.id)).toBeNull();
  });

  it.skipIf(!backend.available || backend.name === 'pglite')('moves the idempotency keys of linked accounts to their new scope (migration 3)', async () => {
    // Postgres only: the statements are the same on PGlite, whose migrated template every other test uses.
    const database = await backend.create();
    cleanup.push(database.drop);
    const db = await openDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
    cleanup.push(() => db.close());
    await migrate(db, undefined, 2);
    await db.query(`insert into accounts (id, name, api_url, token_key_id, token_nonce, token_ciphertext) values ('acme', 'A', 'u', 'k', '', '')`);
    const keep = (accountId: string) =>
      db.query(`insert into idempotency_keys (account_id, key, fingerprint, lease_until, expires_at) values ($1, 'k', 'f', now(), now())`, [accountId]);
    await keep('acme');
    await keep('default');
    expect(await migrate(db, undefined, 3)).toEqual([3]);
    const [{ identity }] = (await db.query<{ identity: string }>('select identity from accounts')) as [{ identity: string }];
    const keys = await db.query<{ account_key: string }>('select account_key from idempotency_keys order by account_key');
    expect(keys.map((k) => k.account_key)).toEqual([`acme:${identity}`, 'default']);
  });

  describe('the identity that keys everything kept about an account', () => {
    const identityOf = async (registry: Registry, id: string) => (await registry.store.getWithToken(id))?.identity;
    const keptKeys = async (registry: Registry) =>
      (await registry.db.query<{ account_key: string }>('select account_key from idempotency_keys order by account_key')).map((r) => r.account_key);
    const keep = (registry: Registry, accountKey: string) =>
      registry.db.query(
        `insert into idempotency_keys (account_key, key, fingerprint, lease_until, expires_at) values ($1, 'k', 'f', now(), now() + interval '1 day')`,
        [accountKey],
      );

    it.skipIf(!backend.available)('stays when only the token or the name changes: the same Freshchat account answers', async () => {
      const { registry } = await open({ key: newKey() });
      const stored = await registry.store.insert(acme);
      const before = await identityOf(registry, stored.id);
      const updated = await registry.store.update(stored.id, { token: 'rotated-token-0123456789', name: 'Acme 2', apiUrl: acme.apiUrl });
      expect(updated?.retiredKey).toBeNull();
      expect(await identityOf(registry, stored.id)).toBe(before);
    });

    it.skipIf(!backend.available)('is new when the URL changes, and what was kept under the old key is erased', async () => {
      const { registry } = await open({ key: newKey() });
      const stored = await registry.store.insert(acme);
      const oldKey = `${stored.id}:${await identityOf(registry, stored.id)}`;
      await keep(registry, oldKey);
      const updated = await registry.store.update(stored.id, { apiUrl: 'https://globex.freshchat.com/v2' });
      expect(updated?.retiredKey).toBe(oldKey);
      expect(await identityOf(registry, stored.id)).not.toBe(oldKey.slice(stored.id.length + 1));
      expect(await keptKeys(registry)).toEqual([]);
    });

    it.skipIf(!backend.available)('is sealed into the token: a re-pointed account opens its old token under its new URL and identity', async () => {
      const { registry } = await open({ key: newKey() });
      const stored = await registry.store.insert(acme);
      const before = await identityOf(registry, stored.id);
      await registry.store.update(stored.id, { apiUrl: 'https://globex.freshchat.com/v2' });
      const after = await registry.store.getWithToken(stored.id);
      expect(after?.token.reveal()).toBe(acme.token);
      expect(after?.identity).not.toBe(before);
      expect((await registry.store.checkKeys()).unusable).toEqual([]);
    });

    it.skipIf(!backend.available)("erases the account's change log and sync state when the URL changes, so the next poll takes a new baseline", async () => {
      const { registry } = await open({ key: newKey() });
      const stored = await registry.store.insert(acme);
      await registry.db.query(`insert into sync_snapshots (account_id, object_type, remote_id, state) values ($1, 'FreshchatGroup', 'g1', '{}'::jsonb)`, [stored.id]);
      await registry.db.query(`insert into sync_progress (account_id, list, baseline_at) values ($1, 'groups', now())`, [stored.id]);
      await registry.store.update(stored.id, { token: 'rotated-token-0123456789' });
      const count = async (table: string) => (await registry.db.query<{ n: number }>(`select count(*)::int as n from ${table} where account_id = $1`, [stored.id]))[0]!.n;
      expect([await count('sync_snapshots'), await count('sync_progress')]).toEqual([1, 1]);
      await registry.store.update(stored.id, { apiUrl: 'https://globex.freshchat.com/v2' });
      expect([await count('sync_snapshots'), await count('sync_progress')]).toEqual([0, 0]);
    });

    it.skipIf(!backend.available)('is never given again to an id unlinked and linked again', async () => {
      const { registry } = await open({ key: newKey() });
      await registry.store.insert({ ...acme, id: 'acctF' });
      const first = await identityOf(registry, 'acctF');
      await keep(registry, `acctF:${first}`);
      await keep(registry, 'other:kept');
      await registry.store.remove('acctF');
      await registry.store.insert({ ...acme, id: 'acctF', tenant: 'tb', token: 'another-token-0123456789' });
      expect(await identityOf(registry, 'acctF')).not.toBe(first);
      expect(await keptKeys(registry)).toEqual(['other:kept']);
    });

    it.skipIf(!backend.available)('tells the process of each change it committed, with the key it retired', async () => {
      const { registry } = await open({ key: newKey() });
      const told: unknown[] = [];
      registry.store.onChange((change) => void told.push(change));
      const stored = await registry.store.insert(acme);
      const key = `${stored.id}:${await identityOf(registry, stored.id)}`;
      await registry.store.update(stored.id, { name: 'Acme 2' });
      await registry.store.remove(stored.id);
      await registry.store.remove(stored.id); // nothing left: nothing to tell
      expect(told).toEqual([
        { id: stored.id, retiredKey: null },
        { id: stored.id, retiredKey: key },
      ]);
    });
  });

  it.skipIf(!backend.available)('fails to start, naming CREDENTIALS_KEY, when the key cannot decrypt the stored rows', async () => {
    const first = await open({ key: newKey() });
    await first.registry.store.insert(acme);
    await first.registry.close();
    await expect(open({ key: newKey() }, first.database)).rejects.toThrow(/^CREDENTIALS_KEY .*cannot decrypt 1 of 1/);
    await expect(open({}, first.database)).rejects.toThrow(/^CREDENTIALS_KEY is not set/);
  });

  it.skipIf(!backend.available)('rotates every row to the new key, reading old rows with CREDENTIALS_KEY_PREVIOUS until then', async () => {
    const oldKey = newKey();
    const newer = newKey();
    const first = await open({ key: oldKey });
    const a = await first.registry.store.insert(acme);
    const b = await first.registry.store.insert({ ...acme, token: 'other-token-0123456789' });
    await first.registry.close();

    const during = await open({ key: newer, previous: oldKey }, first.database);
    expect((await during.registry.store.getWithToken(a.id))?.token.reveal()).toBe(acme.token);
    expect(await during.registry.store.rotateKey()).toBe(2);
    expect(await during.registry.store.rotateKey()).toBe(0);
    await during.registry.close();

    const after = await open({ key: newer }, first.database);
    expect((await after.registry.store.getWithToken(b.id))?.token.reveal()).toBe('other-token-0123456789');
  });

  it.skipIf(!backend.available)('does not decrypt a ciphertext moved onto another account', async () => {
    const { registry } = await open({ key: newKey() });
    const a = await registry.store.insert(acme);
    const b = await registry.store.insert({ ...acme, token: 'other-token-0123456789' });
    await registry.db.query(
      `update accounts set (token_key_id, token_nonce, token_ciphertext) =
         (select token_key_id, token_nonce, token_ciphertext from accounts where id = $1) where id = $2`,
      [a.id, b.id],
    );
    await expect(registry.store.getWithToken(b.id)).rejects.toThrow();
  });
});

describe('a new PGlite directory', () => {
  const open = (dataDir: string) => openRegistry({ databaseUrl: undefined, dataDir, credentialsKey: newKey(), previousCredentialsKey: undefined });

  it('is not created by a process that never uses the registry', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'registry-new-'));
    try {
      await (await open(dataDir)).close();
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('is held from the start, before it exists, so another process learns at once that it must not open it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'registry-new-'));
    try {
      const registry = await open(dataDir);
      expect(await readFile(join(dataDir, 'pglite.pid'), 'utf8')).toBe(String(process.pid));
      await registry.close();
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('says it is being created (its initdb takes seconds) once, just before creating it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'registry-new-'));
    const announced: string[] = [];
    try {
      const registry = await openRegistry(
        { databaseUrl: undefined, dataDir, credentialsKey: newKey(), previousCredentialsKey: undefined },
        { onCreate: (dir) => announced.push(dir) },
      );
      expect(announced).toEqual([]);
      await Promise.all([registry.store.insert(acme), registry.store.list()]);
      expect(announced).toEqual([dataDir]);
      await registry.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('is created at first use, private to its user (0700), leaving no temporary directory behind', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'registry-new-'));
    const dataDir = join(parent, 'data');
    try {
      const registry = await open(dataDir);
      expect(registry.fresh).toBe(true);
      const stored = await registry.store.insert(acme); // creates the database
      expect(await registry.ready()).toBeGreaterThan(0);
      expect(await registry.store.get(stored.id)).toEqual(stored);
      await registry.close();
      expect(await readdir(dataDir)).toEqual(['pglite']);
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('a PGlite directory held by another process', () => {
  it('stops the start with one line naming DATA_DIR while that process lives', async () => {
    const database = await createPglite();
    try {
      await writeFile(join(database.dataDir, 'pglite.pid'), String(process.ppid)); // a live process
      const opening = openRegistry({ ...database, credentialsKey: newKey(), previousCredentialsKey: undefined });
      await expect(opening).rejects.toBeInstanceOf(DirectoryInUseError);
      await expect(opening).rejects.toThrow(/^DATA_DIR .* is in use by process \d+/);
    } finally {
      await database.drop();
    }
  });

  it('is taken over when that process is gone', async () => {
    const database = await createPglite();
    try {
      const gone = spawnSync(process.execPath, ['-e', '0']).pid;
      await writeFile(join(database.dataDir, 'pglite.pid'), String(gone));
      const registry = await openRegistry({ ...database, credentialsKey: newKey(), previousCredentialsKey: undefined });
      expect(await readFile(join(database.dataDir, 'pglite.pid'), 'utf8')).toBe(String(process.pid));
      await registry.close();
      expect(await readdir(database.dataDir)).toEqual(['pglite']);
    } finally {
      await database.drop();
    }
  });
});
