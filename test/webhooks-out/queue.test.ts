import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccountStore } from '../../src/accounts/store.js';
import type { Database } from '../../src/accounts/db.js';
import { recordChanges } from '../../src/sync/change-log.js';
import { claimDue, listDeliveries, makeDue, settle } from '../../src/webhooks-out/deliveries.js';
import { dispatchChanges } from '../../src/webhooks-out/dispatch.js';
import { BACKENDS, type TestDatabase } from '../accounts/databases.js';
import { change, cipher, endpoint, endpointStore, openMigrated } from './fixtures.js';

const at = (iso: string) => new Date(iso);
const NOW = at('2025-03-01T12:00:00.000Z');

describe.each(BACKENDS)('the delivery queue on $name', (backend) => {
  let database: TestDatabase | undefined;
  let db: Database;

  beforeAll(async () => {
    if (!backend.available) return;
    database = await backend.create();
    db = await openMigrated(database);
    const accounts = createAccountStore(db, cipher);
    for (const [id, tenant] of [['acme', 't-acme'], ['globex', 't-globex'], ['initech', null]] as const) {
      await accounts.insert({ id, name: id, apiUrl: `https://${id}.freshchat.com/v2`, tenant, token: 'token' });
    }
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });
  // Every test starts from an empty queue with the log fully dispatched.
  beforeEach(async () => {
    if (!backend.available) return;
    await db.query('delete from webhook_endpoints');
    while ((await dispatchChanges(db, 500, NOW)) > 0);
  });

  const deliveriesOf = async (endpointId: string) =>
    (await listDeliveries(db, endpointId, { limit: 100 })).deliveries.reverse(); // oldest first

  it.skipIf(!backend.available)('queues each change recorded after an endpoint was created, with the body every send carries', async () => {
    const [before] = await recordChanges(db, [change()]);
    const { endpoint: created } = await endpointStore(db).create(endpoint('https://hooks.example.com/a'));
    const [after] = await recordChanges(db, [
      change({ kind: 'CREATED', objectType: 'FreshchatComment', objectId: 'comment-1', changedFields: [], occurredAt: null, source: 'WEBHOOK' }),
    ]);
    expect(await dispatchChanges(db, 500, NOW)).toBe(2);
    const deliveries = await deliveriesOf(created.id);
    expect(deliveries).toEqual([
      {
        id: expect.stringMatching(/^dlv_[a-z2-7]{20}$/),
        endpointId: created.id,
        changeId: after!.id,
        status: 'pending',
        attempts: 0,
        lastError: null,
        nextAttemptAt: NOW.toISOString(),
        lastAttemptAt: null,
        deliveredAt: null,
        createdAt: NOW.toISOString(),
      },
    ]);
    expect(before!.seq).toBeLessThan(after!.seq);
    const [claimed] = await claimDue(db, { claim: 'c', now: NOW, leaseMs: 30_000, limit: 10 });
    expect(JSON.parse(claimed!.body)).toEqual({
      type: 'helpdesk.change',
      timestamp: after!.recordedAt.toISOString(),
      data: {
        id: after!.id,
        accountId: 'acme',
        kind: 'CREATED',
        objectType: 'FreshchatComment',
        objectId: 'comment-1',
        changedFields: [],
        occurredAt: null,
        recordedAt: after!.recordedAt.toISOString(),
        source: 'WEBHOOK',
      },
    });
  });

  it.skipIf(!backend.available)('queues a change for every endpoint whose accounts and types it matches, and for a tenant only its own accounts', async () => {
    const store = endpointStore(db);
    const every = (await store.create(endpoint('https://hooks.example.com/every'))).endpoint;
    const globexOnly = (await store.create(endpoint('https://hooks.example.com/globex', { accountIds: ['globex'] }))).endpoint;
    const groups = (await store.create(endpoint('https://hooks.example.com/groups', { types: ['FreshchatGroup'] }))).endpoint;
    const tenant = (await store.create(endpoint('https://hooks.example.com/tenant', { tenant: 't-acme' }))).endpoint;
    const recorded = await recordChanges(db, [
      change({ accountId: 'acme', objectType: 'FreshchatGroup' }),
      change({ accountId: 'globex', objectType: 'FreshchatTicketingUser' }),
      change({ accountId: 'initech', objectType: 'FreshchatGroup' }),
      change({ accountId: 'sandbox', objectType: 'FreshchatUser' }), // the environment account: in no table
    ]);
    await dispatchChanges(db, 500, NOW);
    const ids = async (endpointId: string) => (await deliveriesOf(endpointId)).map((d) => d.changeId);
    const [acmeGroup, globexAgent, initechGroup, sandboxUser] = recorded.map((c) => c.id);
    expect(await ids(every.id)).toEqual([acmeGroup, globexAgent, initechGroup, sandboxUser]);
    expect(await ids(globexOnly.id)).toEqual([globexAgent]);
    expect(await ids(groups.id)).toEqual([acmeGroup, initechGroup]);
    expect(await ids(tenant.id)).toEqual([acmeGroup]);
  });

  it.skipIf(!backend.available)('turns each change into its deliveries once, however often dispatch runs', async () => {
    const { endpoint: created } = await endpointStore(db).create(endpoint('https://hooks.example.com/once'));
    await recordChanges(db, [change(), change(), change()]);
    expect(await dispatchChanges(db, 2, NOW)).toBe(2);
    expect(await dispatchChanges(db, 2, NOW)).toBe(1);
    expect(await dispatchChanges(db, 2, NOW)).toBe(0);
    expect(await deliveriesOf(created.id)).toHaveLength(3);
  });

  it.skipIf(!backend.available)('never lets two replicas claim one delivery, and lets a lapsed claim be taken again', async () => {
    const { endpoint: created } = await endpointStore(db).create(endpoint('https://hooks.example.com/claims'));
    await recordChanges(db, Array.from({ length: 6 }, () => change()));
    await dispatchChanges(db, 500, NOW);
    const second = backend.name === 'postgres' ? await openMigrated(database!) : db;
    try {
      const [a, b] = await Promise.all([
        claimDue(db, { claim: 'replica-a', now: NOW, leaseMs: 30_000, limit: 4 }),
        claimDue(second, { claim: 'replica-b', now: NOW, leaseMs: 30_000, limit: 4 }),
      ]);
      const claimedIds = [...a, ...b].map((d) => d.id);
      expect(claimedIds).toHaveLength(6);
      expect(new Set(claimedIds).size).toBe(6);
      // Replica a settles one; the others it held lapse with it (it died), and b takes them after the lease.
      await settle(db, a[0]!, { delivered: true }, NOW);
      expect(await claimDue(second, { claim: 'replica-b2', now: at('2025-03-01T12:00:29.000Z'), leaseMs: 30_000, limit: 10 })).toEqual([]);
      const retaken = await claimDue(second, { claim: 'replica-b2', now: at('2025-03-01T12:00:30.000Z'), leaseMs: 30_000, limit: 10 });
      expect(retaken.map((d) => d.id).sort()).toEqual(claimedIds.filter((id) => id !== a[0]!.id).sort());
      // What the dead replica would record under its lapsed claim is ignored.
      await settle(db, a[1]!, { delivered: false, error: 'HTTP 500', nextAttemptAt: null }, NOW);
      const byId = new Map((await deliveriesOf(created.id)).map((d) => [d.id, d]));
      expect(byId.get(a[0]!.id)).toMatchObject({ status: 'delivered', attempts: 1, deliveredAt: NOW.toISOString() });
      expect(byId.get(a[1]!.id)).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    } finally {
      if (second !== db) await second.close();
    }
  });

  it.skipIf(!backend.available)('makes a failed delivery due now, and leaves one being sent to its send', async () => {
    const { endpoint: created } = await endpointStore(db).create(endpoint('https://hooks.example.com/retry'));
    await recordChanges(db, [change(), change()]);
    await dispatchChanges(db, 500, NOW);
    const [first, second] = await claimDue(db, { claim: 'c', now: NOW, leaseMs: 30_000, limit: 2 });
    await settle(db, first!, { delivered: false, error: 'HTTP 500', nextAttemptAt: null }, NOW);
    const later = at('2025-03-01T12:00:10.000Z'); // the second's claim still holds
    const retried = await makeDue(db, created.id, first!.id, later);
    expect(retried).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500', nextAttemptAt: later.toISOString() });
    expect(await makeDue(db, created.id, second!.id, NOW)).toMatchObject({ status: 'pending', nextAttemptAt: NOW.toISOString() });
    expect((await claimDue(db, { claim: 'd', now: later, leaseMs: 30_000, limit: 10 })).map((d) => d.id)).toEqual([first!.id]);
    expect(await makeDue(db, created.id, 'dlv_unknown', NOW)).toBeNull();
    expect(await makeDue(db, 'ep_other', first!.id, NOW)).toBeNull();
  });

  it.skipIf(!backend.available)('lists an endpoint\'s deliveries newest first, by status, a page at a time', async () => {
    const { endpoint: created } = await endpointStore(db).create(endpoint('https://hooks.example.com/list'));
    const recorded = await recordChanges(db, Array.from({ length: 5 }, () => change()));
    await dispatchChanges(db, 500, NOW);
    const [oldest] = await claimDue(db, { claim: 'c', now: NOW, leaseMs: 30_000, limit: 1 });
    await settle(db, oldest!, { delivered: true }, NOW);
    const first = await listDeliveries(db, created.id, { limit: 2 });
    expect(first.deliveries.map((d) => d.changeId)).toEqual([recorded[4]!.id, recorded[3]!.id]);
    const rest = await listDeliveries(db, created.id, { limit: 10, before: first.next! });
    expect(rest).toEqual({ deliveries: expect.any(Array), next: null });
    expect(rest.deliveries.map((d) => d.changeId)).toEqual([recorded[2]!.id, recorded[1]!.id, recorded[0]!.id]);
    expect((await listDeliveries(db, created.id, { limit: 10, status: 'delivered' })).deliveries.map((d) => d.changeId)).toEqual([recorded[0]!.id]);
  });

  it.skipIf(!backend.available)('deletes an endpoint\'s deliveries with it', async () => {
    const store = endpointStore(db);
    const { endpoint: created } = await store.create(endpoint('https://hooks.example.com/gone'));
    await recordChanges(db, [change()]);
    await dispatchChanges(db, 500, NOW);
    expect(await store.remove(created.id, { operator: true })).toBe(true);
    expect(await claimDue(db, { claim: 'c', now: NOW, leaseMs: 30_000, limit: 10 })).toEqual([]);
  });
});
