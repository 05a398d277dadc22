import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { BACKENDS, type TestDatabase } from '../accounts/databases.js';
import { startSyncHarness, type SyncHarness } from './harness.js';

const postgres = BACKENDS.find((backend) => backend.name === 'postgres')!;
const INTERVAL_MS = 3_600_000; // SYNC_INTERVAL_S of the harness: the clock below is moved by hand

/**
 * Two replicas of the subgraph on one Postgres registry, polling one Freshchat account, on one fake
 * clock (poll leases are judged by it): ticks are driven by hand, so "three intervals" is exact.
 */
describe.skipIf(!postgres.available)('polling with two replicas on Postgres', () => {
  let database: TestDatabase;
  let sandbox: Sandbox;
  let a: SyncHarness;
  let b: SyncHarness;
  let now = Date.UTC(2026, 0, 1);
  const clock = () => now;

  beforeAll(async () => {
    database = await postgres.create();
    sandbox = await startSandbox();
    a = await startSyncHarness({ database, sandbox, webhooks: false, now: clock });
    b = await startSyncHarness({ database, sandbox, webhooks: false, now: clock });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sandbox?.close();
    await database?.drop();
  });

  const agentCalls = () => sandbox.calls.filter((call) => call.path === '/v2/agents').length;
  const rename = (i: number, name: string) => {
    sandbox.dataset.agents[i]!.first_name = name;
  };

  it('polls each account from exactly one replica', async () => {
    await a.tick(); // a takes the lease and the baseline
    sandbox.resetCalls();
    await b.tick();
    expect(agentCalls()).toBe(0);
    rename(0, 'First');
    now += INTERVAL_MS;
    await Promise.all([a.tick(), b.tick()]);
    expect(await a.changes()).toHaveLength(1);
    expect(await b.changes()).toEqual(await a.changes());
  });

  it("takes a crashed replica's accounts over within three intervals, losing no change", async () => {
    await a.subgraph.sync.poller!.halt({ releaseLeases: false }); // killed: its lease stays taken
    rename(1, 'Second');
    now += INTERVAL_MS;
    sandbox.resetCalls();
    await b.tick();
    expect(agentCalls()).toBe(0); // a's lease runs for two intervals from its last tick
    now += INTERVAL_MS + 1;
    await b.tick();
    expect(agentCalls()).toBeGreaterThan(0);
    expect((await b.changes()).map((c) => [...c.changedFields].sort())).toEqual([['firstName', 'name'], ['firstName', 'name']]);
  });

  it("takes a stopped replica's accounts at its next tick", async () => {
    const c = await startSyncHarness({ database, sandbox, webhooks: false, now: clock });
    try {
      await b.subgraph.sync.poller!.stop(); // gives its leases up
      rename(2, 'Third');
      await c.tick();
      expect(await c.changes()).toHaveLength(3);
    } finally {
      await c.close();
    }
  });
});
