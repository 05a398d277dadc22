import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialCipher } from '../../src/accounts/crypto.js';
import type { Database } from '../../src/accounts/db.js';
import { KeyCheckError } from '../../src/accounts/keys.js';
import { openRegistry } from '../../src/accounts/registry.js';
import { checkSecrets, rotateSecrets } from '../../src/webhooks-out/endpoint-secrets.js';
import { createEndpointStore } from '../../src/webhooks-out/endpoints.js';
import { startWebhooksOut } from '../../src/webhooks-out/index.js';
import { createPglite, newKey, type TestDatabase } from '../accounts/databases.js';
import { endpoint, memoryLogger, openMigrated } from './fixtures.js';

let database: TestDatabase;
let db: Database;
const oldKey = newKey();
const newerKey = newKey();

beforeAll(async () => {
  database = await createPglite();
  db = await openMigrated(database);
}, 60_000);
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('endpoint secrets at rest', () => {
  it('opens a secret for signing under the key it was sealed with, and not on another endpoint\'s row', async () => {
    const store = createEndpointStore(db, createCredentialCipher(oldKey));
    const a = await store.create(endpoint('https://hooks.example.com/a'));
    const b = await store.create(endpoint('https://hooks.example.com/b'));
    expect(await store.target(a.endpoint.id)).toEqual({ url: 'https://hooks.example.com/a', secret: a.secret });
    await db.query(
      `update webhook_endpoints set (secret_key_id, secret_nonce, secret_ciphertext) =
         (select secret_key_id, secret_nonce, secret_ciphertext from webhook_endpoints where id = $1) where id = $2`,
      [a.endpoint.id, b.endpoint.id],
    );
    await expect(store.target(b.endpoint.id)).rejects.toThrow();
    await expect(checkSecrets(db, createCredentialCipher(oldKey))).rejects.toThrow(KeyCheckError);
    await store.remove(b.endpoint.id, { operator: true });
  });

  it('re-seals every secret under a new key, readable without the previous one afterwards', async () => {
    const created = await createEndpointStore(db, createCredentialCipher(oldKey)).create(endpoint('https://hooks.example.com/rotated'));
    expect(await rotateSecrets(db, createCredentialCipher(newerKey, oldKey))).toBeGreaterThanOrEqual(1);
    expect(await rotateSecrets(db, createCredentialCipher(newerKey, oldKey))).toBe(0);
    const after = createEndpointStore(db, createCredentialCipher(newerKey));
    expect(await after.target(created.endpoint.id)).toMatchObject({ secret: created.secret });
    await expect(checkSecrets(db, createCredentialCipher(newerKey))).resolves.toBeUndefined();
  });

  it('stops the start, naming CREDENTIALS_KEY, when the key cannot open the stored secrets', async () => {
    await expect(checkSecrets(db, undefined)).rejects.toThrow(/CREDENTIALS_KEY is not set/);
    await db.close();
    const registry = await openRegistry({ databaseUrl: undefined, dataDir: database.dataDir, credentialsKey: undefined, previousCredentialsKey: undefined });
    try {
      const starting = startWebhooksOut(
        { allowedHosts: undefined, retryBaseMs: 5_000, maxAttempts: 8, production: false },
        { credentialsKey: newKey(), previousCredentialsKey: undefined, adminToken: undefined },
        { registry, accounts: { defaultId: null, find: async () => null }, authenticate: async () => undefined, logger: memoryLogger().logger },
      );
      await expect(starting).rejects.toThrow(KeyCheckError);
      await expect(starting).rejects.toThrow(/CREDENTIALS_KEY .*cannot decrypt 2 of 2 webhook endpoint secret/);
    } finally {
      await registry.close();
      db = await openMigrated(database);
    }
  }, 90_000);
});
