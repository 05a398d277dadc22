import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/accounts/db.js';
import { createIdempotency } from '../../src/idempotency/run.js';
import { createSqlIdempotencyStore } from '../../src/idempotency/sql-store.js';
import type { StoredOutcome } from '../../src/idempotency/store.js';
import { BACKENDS, openMigrated, useMigratedDatabase } from '../accounts/databases.js';
import { replicaRaceSuite } from '../writes/replica-race.js';

const TTL = 86_400_000;

describe.each(BACKENDS)('idempotency keys in the registry database on $name', (backend) => {
  let db: Database;
  useMigratedDatabase((opened) => void (db = opened), backend);
  const claim = (store: ReturnType<typeof createSqlIdempotencyStore>, key: string, now = 0) =>
    store.claim({ accountKey: 'acme:k1', key, fingerprint: 'f', now, leaseUntil: now + 1000, expiresAt: now + TTL });

  it.skipIf(!backend.available)('lets exactly one of 20 concurrent claims from two replicas take a key', async () => {
    const replicas = [createSqlIdempotencyStore(db), createSqlIdempotencyStore(db)];
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(replicas[i % 2]!, 'race')));
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
  });

  it.skipIf(!backend.available)('keeps the outcome as JSON and answers it until the entry expires', async () => {
    const store = createSqlIdempotencyStore(db);
    await claim(store, 'kept');
    const outcome: StoredOutcome = { kind: 'payload', payload: { user: { id: 'x', emails: [{ address: 'ä@example.com' }] }, userErrors: [] } };
    await store.complete('acme:k1', 'kept', outcome, TTL);
    expect(await store.read('acme:k1', 'kept', TTL - 1)).toEqual({ fingerprint: 'f', outcome, leaseUntil: 1000 });
    expect(await store.read('acme:k1', 'kept', TTL)).toBeNull();
    expect(await claim(store, 'kept', TTL)).toEqual({ claimed: true });
  });

  it.skipIf(!backend.available)('frees a released key, and keeps keys apart per account', async () => {
    const store = createSqlIdempotencyStore(db);
    await claim(store, 'freed');
    await store.release('acme:k1', 'freed');
    expect(await claim(store, 'freed')).toEqual({ claimed: true });
    expect(await store.read('other-account', 'freed', 0)).toBeNull();
  });

  it.skipIf(!backend.available)('makes one write for 10 concurrent runs on two replicas, all getting its result', async () => {
    const replicas = [0, 1].map(() => createIdempotency({ store: createSqlIdempotencyStore(db), ttlMs: TTL, leaseMs: 60_000, maxPollMs: 10 }));
    let sends = 0;
    const send = async () => ({ outcome: { kind: 'payload' as const, payload: { n: ++sends } }, keep: true });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.run({ accountKey: 'acme:k1', key: 'runs', fingerprint: 'f' }, send)));
    expect(sends).toBe(1);
    expect(results.map((r) => (r.kind === 'done' ? r.outcome : r.kind))).toEqual(Array(10).fill({ kind: 'payload', payload: { n: 1 } }));
  });
});

// Over HTTP: two subgraph servers, one registry database (each server its own store instance).
for (const backend of BACKENDS.filter((b) => b.available)) {
  replicaRaceSuite(`the registry database (${backend.name})`, async () => {
    const database = await backend.create();
    const db = await openMigrated(database);
    return {
      store: createSqlIdempotencyStore(db),
      close: async () => {
        await db.close();
        await database.drop();
      },
    };
  });
}
