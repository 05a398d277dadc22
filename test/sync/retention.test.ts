import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/accounts/db.js';
import { recordChanges, sweepChanges, type NewChange } from '../../src/sync/change-log.js';
import { createChangeFeed } from '../../src/sync/feed.js';
import { useMigratedDatabase } from '../accounts/databases.js';

const DAY = 86_400_000;
let db: Database;

useMigratedDatabase((opened) => void (db = opened));

const change = (accountId: string): NewChange => ({
  accountId,
  kind: 'CREATED',
  objectType: 'FreshchatGroup',
  objectId: `group-of-${accountId}`,
  changedFields: [],
  occurredAt: null,
  source: 'POLL',
});

describe('the retention of the change log, on a fake clock', () => {
  it('expires a cursor once its change is older than the retention, and stops serving such changes', async () => {
    let now = Date.now();
    const feed = createChangeFeed({ db, retentionMs: 30 * DAY, now: () => now });
    await recordChanges(db, [change('acme'), change('acme')]);
    const page = await feed.page('acme', { first: 1 });
    expect(page.edges).toHaveLength(1);
    now += 29 * DAY;
    expect((await feed.page('acme', { after: page.pageInfo.endCursor })).edges).toHaveLength(1);
    now += 2 * DAY;
    await expect(feed.page('acme', { after: page.pageInfo.endCursor })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', reason: 'CURSOR_EXPIRED', argument: 'after' },
    });
    const fresh = await feed.page('acme', {});
    expect(fresh.edges).toEqual([]);
    expect(await fresh.count()).toBe(0);
  });

  it('sweeps changes recorded before the cutoff, so a cursor on one stays expired', async () => {
    const feed = createChangeFeed({ db, retentionMs: 30 * DAY });
    await recordChanges(db, [change('globex')]);
    const page = await feed.page('globex', {});
    expect(await sweepChanges(db, new Date(Date.now() + DAY))).toBeGreaterThan(0);
    await expect(feed.page('globex', { after: page.pageInfo.endCursor })).rejects.toMatchObject({ extensions: { reason: 'CURSOR_EXPIRED' } });
  });
});
