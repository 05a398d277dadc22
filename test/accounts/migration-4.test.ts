import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCredentialCipher, legacyAad } from '../../src/accounts/crypto.js';
import { openDatabase } from '../../src/accounts/db.js';
import { migrate } from '../../src/accounts/migrations.js';
import { openRegistry } from '../../src/accounts/registry.js';
import { KeyCheckError } from '../../src/accounts/store.js';
import { AccountUnusableError } from '../../src/errors.js';
import type { Secret } from '../../src/secret.js';
import { BACKENDS, newKey, type TestDatabase } from './databases.js';

/**
 * Migration 4: tokens linked before it were bound to their account id alone. It seals each again,
 * bound to the id, API URL, tenant and identity (migration 3's column, applied before it), inside the migration's transaction and with the key (so it is
 * code, not SQL); after it, no path reads the old binding, so an old ciphertext restored into a row
 * (with an api_url of the attacker's choosing) does not open either.
 */
const TOKEN = 'token-linked-before-migration-4';

describe.each(BACKENDS)('migration 4 on $name', (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /**
   * A registry as the previous version left it: migrations 1 to 3 (so the row has the identity
   * migration 3 gives every row), one token bound to its id alone.
   */
  async function previousVersion(key: Secret): Promise<{ database: TestDatabase; legacy: { nonce: Buffer; ciphertext: Buffer } }> {
    const database = await backend.create();
    cleanup.push(database.drop);
    const db = await openDatabase({ databaseUrl: database.databaseUrl, dataDir: join(database.dataDir, 'pglite') });
    await migrate(db);
    await db.query('delete from schema_migrations where version = 4');
    const sealed = createCredentialCipher(key).seal(legacyAad('acc-old'), TOKEN);
    await db.query(
      `insert into accounts (id, name, api_url, tenant, token_key_id, token_nonce, token_ciphertext) values ($1, $2, $3, $4, $5, $6, $7)`,
      ['acc-old', 'Old', 'https://old.freshchat.com/v2', 't-old', sealed.keyId, sealed.nonce, sealed.ciphertext],
    );
    await db.close();
    return { database, legacy: sealed };
  }

  async function open(database: TestDatabase, key: Secret | undefined, previous?: Secret) {
    const registry = await openRegistry({ ...database, credentialsKey: key, previousCredentialsKey: previous });
    cleanup.push(() => registry.close());
    return registry;
  }

  /** The previous version's registry, opened (so migrated) with the key that sealed its token. */
  async function migrated() {
    const key = newKey();
    return open((await previousVersion(key)).database, key);
  }

  it.skipIf(!backend.available)('re-seals a token stored before it, which then opens as before', async () => {
    const key = newKey();
    const { database, legacy } = await previousVersion(key);
    const registry = await open(database, key);
    expect((await registry.store.getWithToken('acc-old'))?.token.reveal()).toBe(TOKEN);
    const [row] = await registry.db.query<{ token_ciphertext: Uint8Array }>(`select token_ciphertext from accounts where id = 'acc-old'`);
    expect(Buffer.from(row!.token_ciphertext).equals(legacy.ciphertext)).toBe(false);
    const versions = await registry.db.query<{ version: number }>('select version from schema_migrations order by version');
    expect(versions.map((v) => v.version)).toContain(4);
  }, 60_000);

  it.skipIf(!backend.available)('binds the identity migration 3 gave the row, which keys the account from then on', async () => {
    const registry = await migrated();
    const opened = await registry.store.getWithToken('acc-old');
    const [row] = await registry.db.query<{ identity: string }>(`select identity from accounts where id = 'acc-old'`);
    expect(opened?.identity).toBe(row!.identity);
    await registry.db.query(`update accounts set identity = 'another' where id = 'acc-old'`);
    await expect(registry.store.getWithToken('acc-old')).rejects.toBeInstanceOf(AccountUnusableError);
  }, 60_000);

  it.skipIf(!backend.available)('leaves a re-pointed account able to open its token under its new URL and identity', async () => {
    const registry = await migrated();
    const before = await registry.store.getWithToken('acc-old');
    const changed = await registry.store.update('acc-old', { apiUrl: 'https://new.freshchat.com/v2' });
    expect(changed?.retiredKey).toBe(`acc-old:${before!.identity}`);
    const after = await registry.store.getWithToken('acc-old');
    expect(after?.token.reveal()).toBe(TOKEN);
    expect(after?.identity).not.toBe(before!.identity);
  }, 60_000);

  it.skipIf(!backend.available)('leaves no way back: the old ciphertext restored into the row does not open', async () => {
    const key = newKey();
    const { database, legacy } = await previousVersion(key);
    const registry = await open(database, key);
    await registry.db.query(`update accounts set token_nonce = $1, token_ciphertext = $2, api_url = 'https://evil.example/v2' where id = 'acc-old'`, [
      legacy.nonce,
      legacy.ciphertext,
    ]);
    await expect(registry.store.getWithToken('acc-old')).rejects.toBeInstanceOf(AccountUnusableError);
  }, 60_000);

  it.skipIf(!backend.available)('re-seals under CREDENTIALS_KEY what CREDENTIALS_KEY_PREVIOUS sealed, mid-rotation', async () => {
    const oldKey = newKey();
    const { database } = await previousVersion(oldKey);
    const newer = newKey();
    const registry = await open(database, newer, oldKey);
    expect(await registry.store.rotateKey()).toBe(0); // migration 4 sealed it under the current key already
    await registry.close();
    expect((await (await open(database, newer)).store.getWithToken('acc-old'))?.token.reveal()).toBe(TOKEN);
  }, 60_000);

  it.skipIf(!backend.available)('stops the start naming CREDENTIALS_KEY when there is no key, and applies nothing', async () => {
    const { database } = await previousVersion(newKey());
    const opening = openRegistry({ ...database, credentialsKey: undefined, previousCredentialsKey: undefined });
    await expect(opening).rejects.toBeInstanceOf(KeyCheckError);
    await expect(opening).rejects.toThrow(/^CREDENTIALS_KEY is not set, but 1 linked account\(s\) are stored encrypted$/);
    const db = await openDatabase({ databaseUrl: database.databaseUrl, dataDir: join(database.dataDir, 'pglite') });
    try {
      expect((await db.query<{ version: number }>('select version from schema_migrations')).map((v) => v.version)).not.toContain(4);
    } finally {
      await db.close();
    }
  }, 60_000);

  it.skipIf(!backend.available)('stops the start naming CREDENTIALS_KEY when the key is the wrong one', async () => {
    const { database } = await previousVersion(newKey());
    await expect(openRegistry({ ...database, credentialsKey: newKey(), previousCredentialsKey: undefined })).rejects.toThrow(/^CREDENTIALS_KEY .*cannot decrypt stored account acc-old/);
  }, 60_000);
});
