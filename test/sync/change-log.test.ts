import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/accounts/db.js';
import {
  countChanges, readChanges, recordChanges, recordedAt, sweepChanges, type RecordedChange,
} from '../../src/sync/change-log.js';
import { BACKENDS, openMigrated, useMigratedDatabase, type TestDatabase } from '../accounts/databases.js';
import { change } from './fixtures.js';


describe.each(BACKENDS)('the change log on $name', (backend) => {
  let db: Database;
  let database: TestDatabase;
  // Each test reads only the account it writes, so tests share one database.
  let accountNo = 0;
  const account = () => `acct-${(accountNo += 1)}`;
  useMigratedDatabase((opened, created) => void ([db, database] = [opened, created]), backend);

  it.skipIf(!backend.available)('records changes in the order given and reads them back oldest first', async () => {
    const accountId = account();
    const recorded = await recordChanges(db, [
      change({ accountId, kind: 'CREATED', objectId: 'a', changedFields: [] }),
      change({ accountId, kind: 'DELETED', objectType: 'FreshchatGroup', objectId: 'g', occurredAt: null, source: 'WEBHOOK' }),
    ]);
    expect(recorded.map((c) => [c.kind, c.objectId])).toEqual([['CREATED', 'a'], ['DELETED', 'g']]);
    expect(recorded[0]!.seq).toBeLessThan(recorded[1]!.seq);
    expect(recorded[0]!.id).toMatch(/^chg_[a-z2-7]{26}$/);
    expect(recorded[1]).toMatchObject({ accountId, objectType: 'FreshchatGroup', occurredAt: null, source: 'WEBHOOK', dedupeKey: null });
    expect(recorded[0]!.recordedAt).toBeInstanceOf(Date);
    expect(await readChanges(db, { accountIds: [accountId], afterSeq: 0, limit: 10 })).toEqual(recorded);
  });

  it.skipIf(!backend.available)('keeps changed fields as a set and the provider time as given', async () => {
    const accountId = account();
    const [recorded] = await recordChanges(db, [change({ accountId, changedFields: ['members', 'name', 'members'] })]);
    expect(recorded?.changedFields).toEqual(['members', 'name']);
    expect(recorded?.occurredAt?.toISOString()).toBe('2025-01-02T03:04:05.000Z');
  });

  it.skipIf(!backend.available)('records a dedupe key once per account, in one batch or across calls', async () => {
    const accountId = account();
    const first = await recordChanges(db, [change({ accountId, dedupeKey: 'msg-1' }), change({ accountId, dedupeKey: 'msg-1' })]);
    expect(first).toHaveLength(1);
    expect(await recordChanges(db, [change({ accountId, dedupeKey: 'msg-1' }), change({ accountId, dedupeKey: 'msg-2' })])).toMatchObject([
      { dedupeKey: 'msg-2' },
    ]);
    const other = account();
    expect(await recordChanges(db, [change({ accountId: other, dedupeKey: 'msg-1' })])).toHaveLength(1);
    expect(await countChanges(db, { accountIds: [accountId], afterSeq: 0 })).toBe(2);
  });

  it.skipIf(!backend.available)('reads after a position, by account and type, at most the limit', async () => {
    const [a, b] = [account(), account()];
    const recorded = await recordChanges(db, [
      change({ accountId: a, objectType: 'FreshchatUser' }),
      change({ accountId: b, objectType: 'FreshchatUser' }),
      change({ accountId: a, objectType: 'FreshchatGroup' }),
      change({ accountId: a, objectType: 'FreshchatUser' }),
      change({ accountId: a, objectType: 'FreshchatUser' }),
    ]);
    const seqs = (changes: RecordedChange[]) => changes.map((c) => c.seq);
    const ofA = recorded.filter((c) => c.accountId === a && c.objectType === 'FreshchatUser');
    const after = ofA[0]!.seq;
    expect(seqs(await readChanges(db, { accountIds: [a], afterSeq: after, types: ['FreshchatUser'], limit: 10 }))).toEqual(seqs(ofA.slice(1)));
    expect(seqs(await readChanges(db, { accountIds: [a], afterSeq: after, types: ['FreshchatUser'], limit: 1 }))).toEqual([ofA[1]!.seq]);
    expect(seqs(await readChanges(db, { accountIds: [a, b], afterSeq: recorded[0]!.seq, limit: 2 }))).toEqual(seqs(recorded.slice(1, 3)));
    expect(await countChanges(db, { accountIds: [a], afterSeq: 0, types: ['FreshchatGroup', 'FreshchatUser'] })).toBe(4);
  });

  it.skipIf(!backend.available)('tells when a change was recorded, and sweeps those older than a cutoff', async () => {
    const accountId = account();
    const [old] = await recordChanges(db, [change({ accountId })]);
    expect(await recordedAt(db, accountId, old!.seq)).toEqual(old!.recordedAt);
    expect(await recordedAt(db, 'someone-else', old!.seq)).toBeNull();
    await db.query(`update changes set recorded_at = recorded_at - interval '40 days' where seq = $1`, [old!.seq]);
    const [fresh] = await recordChanges(db, [change({ accountId })]);
    const cutoff = new Date(Date.now() - 30 * 86_400_000);
    expect(await readChanges(db, { accountIds: [accountId], afterSeq: 0, recordedSince: cutoff, limit: 10 })).toEqual([fresh]);
    expect(await sweepChanges(db, cutoff)).toBeGreaterThanOrEqual(1);
    expect(await recordedAt(db, accountId, old!.seq)).toBeNull();
    expect(await readChanges(db, { accountIds: [accountId], afterSeq: 0, limit: 10 })).toEqual([fresh]);
  });

  it.skipIf(!backend.available)('lets a reader that follows the log by position miss nothing while replicas record at once', async () => {
    const accountId = account();
    // Two processes on one PGlite directory are refused (DATA_DIR): there, one process records at once.
    const second = backend.name === 'postgres' ? await openMigrated(database) : db;
    const replicas = [db, second];
    try {
      const seen: number[] = [];
      let last = 0;
      let writing = true;
      const reader = (async () => {
        while (writing || (await readChanges(db, { accountIds: [accountId], afterSeq: last, limit: 100 })).length > 0) {
          for (const c of await readChanges(db, { accountIds: [accountId], afterSeq: last, limit: 100 })) {
            seen.push(c.seq);
            last = c.seq;
          }
        }
      })();
      const written = await Promise.all(Array.from({ length: 40 }, (_, i) => recordChanges(replicas[i % 2]!, [change({ accountId })])));
      writing = false;
      await reader;
      expect(seen).toEqual(written.flat().map((c) => c.seq).sort((x, y) => x - y));
    } finally {
      if (second !== db) await second.close();
    }
  });
});
