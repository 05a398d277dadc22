import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/accounts/db.js';
import { recordChanges } from '../../src/sync/change-log.js';
import { listDeliveries, makeDue, type Delivery } from '../../src/webhooks-out/deliveries.js';
import { dispatchChanges } from '../../src/webhooks-out/dispatch.js';
import type { EndpointStore, WebhookEndpoint } from '../../src/webhooks-out/endpoints.js';
import { createSender, type Sender } from '../../src/webhooks-out/send.js';
import { createUrlPolicy } from '../../src/webhooks-out/url-policy.js';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/webhooks-out/worker.js';
import { createPglite, type TestDatabase } from '../accounts/databases.js';
import { change, endpoint, endpointStore, memoryLogger, openMigrated } from './fixtures.js';
import { startReceiver, type Receiver } from './receiver.js';

// The clock every part of the loop reads; tests move it by hand.
let clock = Math.floor(Date.now() / 1000) * 1000;
let database: TestDatabase;
let db: Database;
let store: EndpointStore;
let receiver: Receiver;
let sender: Sender;
let hasty: Sender;
const { logger, lines } = memoryLogger();

const worker = (overrides: { random?: () => number; sender?: Sender } = {}): DeliveryWorker =>
  createDeliveryWorker({
    db,
    isOpen: () => true,
    endpoints: store,
    sender: overrides.sender ?? sender,
    retry: { retryBaseMs: 1_000, maxAttempts: 3 },
    logger,
    now: () => clock,
    random: overrides.random ?? (() => 0.5), // no jitter unless a test asks for it
  });

beforeAll(async () => {
  database = await createPglite();
  db = await openMigrated(database);
  store = endpointStore(db);
  receiver = await startReceiver();
  const policy = createUrlPolicy({ allowedHosts: '127.0.0.1', production: false });
  sender = createSender({ policy, now: () => clock });
  // Only for a receiver that never answers: short enough to wait out once.
  hasty = createSender({ policy, timeoutMs: 1_000, now: () => clock });
}, 60_000);
afterAll(async () => {
  await sender?.close();
  await hasty?.close();
  await receiver?.close();
  await db?.close();
  await database?.drop();
});
beforeEach(async () => {
  await db.query('delete from webhook_endpoints');
  while ((await dispatchChanges(db, 500, new Date(clock))) > 0);
  receiver.received.length = 0;
  receiver.behave(() => 200);
});

const deliveries = async (of: WebhookEndpoint): Promise<Delivery[]> => (await listDeliveries(db, of.id, { limit: 100 })).deliveries.reverse();
const iso = (ms: number) => new Date(ms).toISOString();

describe('the delivery loop', () => {
  it('sends each change once, with its id as webhook-id, and records it delivered', async () => {
    const { endpoint: to } = await store.create(endpoint(`${receiver.url}/hook`));
    const recorded = await recordChanges(db, [change(), change(), change()]);
    const loop = worker();
    await loop.tick();
    expect(receiver.received.map((r) => r.headers['webhook-id']).sort()).toEqual(recorded.map((c) => c.id).sort());
    expect(await deliveries(to)).toEqual(
      recorded.map((c): unknown => expect.objectContaining({ changeId: c.id, status: 'delivered', attempts: 1, lastError: null, nextAttemptAt: null, deliveredAt: iso(clock) })),
    );
    await loop.tick();
    expect(receiver.received).toHaveLength(3);
  });

  it('retries a failing receiver after WEBHOOK_RETRY_BASE_MS × 2^(n-1), then marks the delivery failed after WEBHOOK_MAX_ATTEMPTS sends', async () => {
    receiver.behave(() => 503);
    const { endpoint: to } = await store.create(endpoint(`${receiver.url}/hook`));
    const [recorded] = await recordChanges(db, [change()]);
    const loop = worker();
    const start = clock;

    await loop.tick();
    expect(await deliveries(to)).toMatchObject([{ status: 'pending', attempts: 1, lastError: 'HTTP 503', nextAttemptAt: iso(start + 1_000) }]);
    clock = start + 999;
    await loop.tick();
    expect(receiver.received).toHaveLength(1);

    clock = start + 1_000;
    await loop.tick();
    expect(await deliveries(to)).toMatchObject([{ status: 'pending', attempts: 2, nextAttemptAt: iso(start + 1_000 + 2_000) }]);

    clock = start + 3_000;
    await loop.tick();
    expect(await deliveries(to)).toMatchObject([{ status: 'failed', attempts: 3, lastError: 'HTTP 503', nextAttemptAt: null, deliveredAt: null }]);
    clock += 86_400_000;
    await loop.tick();
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([recorded!.id, recorded!.id, recorded!.id]);
    expect(lines()).toContain('webhook send failed: giving up');
  });

  it('spreads retries by up to ±50%', async () => {
    receiver.behave(() => 500);
    const { endpoint: to } = await store.create(endpoint(`${receiver.url}/hook`));
    await recordChanges(db, [change()]);
    await worker({ random: () => 0 }).tick();
    expect(await deliveries(to)).toMatchObject([{ nextAttemptAt: iso(clock + 500) }]);
  });

  it('retries a receiver that gives no answer within the send timeout', async () => {
    receiver.behave(() => 'hang');
    const { endpoint: to } = await store.create(endpoint(`${receiver.url}/hook`));
    await recordChanges(db, [change()]);
    await worker({ sender: hasty }).tick();
    expect(await deliveries(to)).toMatchObject([{ status: 'pending', attempts: 1, lastError: 'no answer within 1 s' }]);
  });

  it('sends a failed delivery again when it is retried, and records it delivered', async () => {
    receiver.behave(() => 500);
    const { endpoint: to } = await store.create(endpoint(`${receiver.url}/hook`));
    await recordChanges(db, [change()]);
    const loop = createDeliveryWorker({ db, isOpen: () => true, endpoints: store, sender, retry: { retryBaseMs: 1_000, maxAttempts: 1 }, logger, now: () => clock });
    await loop.tick();
    const [failed] = await deliveries(to);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    receiver.behave(() => 204);
    await makeDue(db, to.id, failed!.id, new Date(clock));
    await loop.tick();
    expect(await deliveries(to)).toMatchObject([{ status: 'delivered', attempts: 2, lastError: null, deliveredAt: iso(clock) }]);
  });

  it('gives a send interrupted by a shutdown back uncounted, so the next process sends it at once', async () => {
    receiver.behave(() => 'hang');
    const { endpoint: to } = await store.create(endpoint(`${receiver.url}/hook`));
    await recordChanges(db, [change()]);
    const stopping = worker();
    const ticking = stopping.tick();
    await receiver.waitFor(1);
    await stopping.stop();
    await ticking;
    expect(await deliveries(to)).toMatchObject([{ status: 'pending', attempts: 0, lastError: null }]);
    receiver.behave(() => 200);
    await worker().tick();
    expect(await deliveries(to)).toMatchObject([{ status: 'delivered', attempts: 1 }]);
  });

  it('stops sending to an endpoint once it is deleted', async () => {
    receiver.behave(() => 500);
    const { endpoint: to } = await store.create(endpoint(`${receiver.url}/hook`));
    await recordChanges(db, [change()]);
    const loop = worker();
    await loop.tick();
    await store.remove(to.id, { operator: true });
    clock += 60_000;
    await loop.tick();
    expect(receiver.received).toHaveLength(1);
  });

  it('leaves a registry that was never created alone', async () => {
    const untouched = { kind: 'pglite', query: () => Promise.reject(new Error('opened')), transaction: () => Promise.reject(new Error('opened')), close: async () => undefined } satisfies Database;
    const loop = createDeliveryWorker({ db: untouched, isOpen: () => false, endpoints: store, sender, retry: { retryBaseMs: 1, maxAttempts: 1 }, logger });
    await expect(loop.tick()).resolves.toBeUndefined();
  });
});
