import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordChanges, type RecordedChange } from '../../src/sync/change-log.js';
import { createPglite, newKey, type TestDatabase } from '../accounts/databases.js';
import { change, openMigrated } from './fixtures.js';
import { startSubgraph, stopSubgraph, until, type Subgraph } from './processes.js';
import { startReceiver, type Receiver } from './receiver.js';

let database: TestDatabase;
let receiver: Receiver;
const running: Subgraph[] = [];
const key = newKey().reveal();

beforeAll(async () => {
  database = await createPglite();
  receiver = await startReceiver();
}, 60_000);
afterAll(async () => {
  await Promise.all(running.map((s) => stopSubgraph(s, 'SIGKILL')));
  await receiver?.close();
  await database?.drop();
});

async function start(): Promise<Subgraph> {
  const subgraph = await startSubgraph(database, key);
  running.push(subgraph);
  return subgraph;
}

/** Changes recorded while no process holds the PGlite directory (one process at a time may). */
async function recordOffline(count: number): Promise<RecordedChange[]> {
  const db = await openMigrated(database);
  try {
    return await recordChanges(db, Array.from({ length: count }, () => change()));
  } finally {
    await db.close();
  }
}

describe('webhooks out across a crash (kill -9) on the embedded PGlite', () => {
  it('delivers every pending change once after a crash with sends in flight and a restart', async () => {
    const first = await start();
    await first.createEndpoint(`${receiver.url}/crash`);
    await stopSubgraph(first);
    const recorded = await recordOffline(40);

    // The receiver holds every request open: the process dies with claims it never settled.
    receiver.behave(() => 'hang');
    const crashing = await start();
    await receiver.waitFor(5, 30_000);
    await stopSubgraph(crashing, 'SIGKILL');

    const accepted = new Map<string, number>();
    receiver.behave((request) => {
      const id = String(request.headers['webhook-id']);
      accepted.set(id, (accepted.get(id) ?? 0) + 1);
      return 200;
    });
    const restarted = await start();
    await until(() => accepted.size === recorded.length, 60_000, 'every change is accepted');
    // A little longer: anything sent twice would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await stopSubgraph(restarted);

    expect([...accepted.keys()].sort()).toEqual(recorded.map((c) => c.id).sort());
    expect([...accepted.values()].every((times) => times === 1)).toBe(true);
    const db = await openMigrated(database);
    try {
      const rows = await db.query<{ status: string; n: number }>('select status, count(*)::int as n from webhook_deliveries group by status');
      expect(rows).toEqual([{ status: 'delivered', n: recorded.length }]);
    } finally {
      await db.close();
    }
  }, 300_000);
});
