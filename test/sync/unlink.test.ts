import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/relay/ids.js';
import { recordChanges } from '../../src/sync/change-log.js';
import { startSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ webhooks: false });
}, 60_000);
afterAll(async () => h?.close());

const TABLES = ['changes', 'sync_snapshots', 'sync_progress', 'sync_leases', 'webhook_keys'];
const rowsOf = async (accountId: string): Promise<Record<string, number>> =>
  Object.fromEntries(
    await Promise.all(
      TABLES.map(async (table): Promise<[string, number]> => [
        table,
        (await h.subgraph.sync.db.query<{ n: number }>(`select count(*)::int as n from ${table} where account_id = $1`, [accountId]))[0]!.n,
      ]),
    ),
  );

describe('unlinking an account', () => {
  it('purges its sync state, so an account linked again under its id starts with nothing of it', async () => {
    const link = () => h.admin('POST', '/admin/accounts', { id: 'reused', name: 'Reused', apiUrl: h.sandbox.baseUrl, apiToken: h.sandbox.token });
    expect((await link()).status).toBe(201);
    await h.admin('PATCH', '/admin/accounts/reused', { webhookPublicKey: h.sandbox.webhooks.publicKey });
    await h.tick(); // baseline: snapshots, progress, lease
    const objectId = toGlobalId({ provider: 'freshchat', typename: 'FreshchatGroup', accountId: 'reused', remoteId: 'g' });
    await recordChanges(h.subgraph.sync.db, [{ accountId: 'reused', kind: 'CREATED', objectType: 'FreshchatGroup', objectId, changedFields: [], occurredAt: null, source: 'POLL' }]);
    expect(Object.values(await rowsOf('reused')).every((n) => n > 0)).toBe(true);

    expect((await h.admin('DELETE', '/admin/accounts/reused')).status).toBe(204);
    expect(await rowsOf('reused')).toEqual(Object.fromEntries(TABLES.map((table) => [table, 0])));

    expect((await link()).status).toBe(201);
    expect(await h.changes('reused')).toEqual([]);
    expect((await h.admin('GET', '/admin/accounts/reused')).body.account).toMatchObject({ webhookPublicKeySet: false });
  });
});
