import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/accounts/db.js';
import { recordChanges } from '../../src/sync/change-log.js';
import { BACKENDS, newKey, type TestDatabase } from '../accounts/databases.js';
import { change, openMigrated } from './fixtures.js';
import { startSubgraph, stopSubgraph, until, type Subgraph } from './processes.js';
import { startReceiver, type Receiver } from './receiver.js';

const postgres = BACKENDS.find((b) => b.name === 'postgres')!;
const N = 120;

let database: TestDatabase | undefined;
let db: Database | undefined;
let receiver: Receiver;
const replicas: Subgraph[] = [];

beforeAll(async () => {
  if (!postgres.available) return;
  database = await postgres.create();
  db = await openMigrated(database);
  receiver = await startReceiver();
}, 60_000);
afterAll(async () => {
  await Promise.all(replicas.map((r) => stopSubgraph(r, 'SIGKILL')));
  await receiver?.close();
  await db?.close();
  await database?.drop();
});

describe('webhooks out with two replicas on Postgres', () => {
  it.skipIf(!postgres.available)('delivers each of N changes exactly once, whichever replica sends it', async () => {
    const key = newKey().reveal();
    replicas.push(...(await Promise.all([startSubgraph(database!, key), startSubgraph(database!, key)])));
    const { endpoint } = await replicas[0]!.createEndpoint(`${receiver.url}/replicas`);
    const received = new Map<string, number>();
    receiver.behave((request) => {
      const id = String(request.headers['webhook-id']);
      received.set(id, (received.get(id) ?? 0) + 1);
      return 200;
    });
    // Recorded in bursts while both replicas are dispatching and sending.
    const recorded = [];
    for (let i = 0; i < N; i += 10) {
      recorded.push(...(await recordChanges(db!, Array.from({ length: 10 }, () => change()))));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await until(() => received.size === N, 90_000, 'every change arrives');
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a duplicate would arrive by now
    expect([...received.keys()].sort()).toEqual(recorded.map((c) => c.id).sort());
    expect([...received.entries()].filter(([, times]) => times !== 1)).toEqual([]);
    const rows = await db!.query<{ status: string; attempts: number; n: number }>(
      'select status, attempts, count(*)::int as n from webhook_deliveries where endpoint_id = $1 group by status, attempts',
      [endpoint.id],
    );
    expect(rows).toEqual([{ status: 'delivered', attempts: 1, n: N }]);
  }, 240_000);
});
