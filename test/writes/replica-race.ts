import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../../src/idempotency/store.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ADA, CREATE_USER, type UserPayload } from './operations.js';

type Created = { freshchatCreateUser: UserPayload | null };

/**
 * Two subgraph servers (replicas: each with its own in-process map of running writes) over one key
 * store and one Freshchat: requests with one key, spread over both, make one write.
 */
export function replicaRaceSuite(name: string, openStore: () => Promise<{ store: IdempotencyStore; close(): Promise<void> }>) {
  describe(`two replicas sharing ${name}`, () => {
    let sandbox: Sandbox;
    let replicas: Harness[];
    let closeStore: () => Promise<void>;
    beforeAll(async () => {
      sandbox = await startSandbox();
      const { store, close } = await openStore();
      closeStore = close;
      replicas = await Promise.all([startHarness({ sandbox, idempotencyStore: store }), startHarness({ sandbox, idempotencyStore: store })]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all((replicas ?? []).map((r) => r.close()));
      await closeStore?.();
      await sandbox?.close();
    });

    it('make one upstream write for 10 concurrent requests with one key, and all get its result', async () => {
      sandbox.resetCalls();
      sandbox.inject({ fault: { kind: 'latency', ms: 300 }, match: '/v2/users', times: 1 });
      const variables = { input: { ...ADA, externalId: 'crm-replicas', email: 'replicas@example.com' }, key: 'replicas-race' };
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.query<Created>(CREATE_USER, variables)));
      expect(sandbox.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
      expect(answers.map((a) => a.errors)).toEqual(Array(10).fill(undefined));
      expect(new Set(answers.map((a) => a.data!.freshchatCreateUser!.user!.id)).size).toBe(1);
    });
  });
}
