import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/accounts/db.js';
import type { CommentModel, TicketModel } from '../../src/models.js';
import { readChanges } from '../../src/sync/change-log.js';
import { toObservations } from '../../src/sync/freshchat-events.js';
import { recordObservations, type Observation } from '../../src/sync/observe.js';
import { commentCreated, ticketCreated, ticketUpdated } from '../../src/sync/write-changes.js';
import { useMigratedDatabase } from '../accounts/databases.js';

const CONVERSATION = 'conv-1';
let db: Database;

useMigratedDatabase((opened) => void (db = opened));
beforeEach(async () => {
  await db.query('delete from changes');
  await db.query('delete from sync_snapshots');
});

const ticket = (overrides: Partial<TicketModel> = {}) =>
  ({ accountId: 'acme', remoteId: CONVERSATION, status: 'OPEN', assigneeRemoteId: null, groupRemoteId: null, ...overrides }) as TicketModel;
const comment = (id: string) => ({ accountId: 'acme', remoteId: id, ticketRemoteId: CONVERSATION }) as CommentModel;
const webhook = (action: string, data: Record<string, unknown>, at = '2025-03-01T10:00:00.000Z') =>
  toObservations('acme', { actor: { actor_type: 'agent', actor_id: 'a' }, action, action_time: at, data });
const messageEvent = (id: string) => webhook('message_create', { message: { id, conversation_id: CONVERSATION } });
const resolution = (at?: string) =>
  webhook('conversation_resolution', { resolve: { conversation: { conversation_id: CONVERSATION, status: 'resolved' } } }, at);
const reopen = (at?: string) => webhook('conversation_reopen', { reopen: { conversation: { conversation_id: CONVERSATION, status: 'reopened' } } }, at);

async function record(...batches: Observation[][]): Promise<string[][]> {
  for (const batch of batches) await recordObservations(db, batch);
  return (await readChanges(db, { accountIds: ['acme'], afterSeq: 0, limit: 100 })).map((c) => [c.kind, c.objectType, c.source]);
}

describe('a write and the webhook Freshchat sends for it', () => {
  it.each([
    ['the write first', () => [commentCreated(comment('m1')), messageEvent('m1')], 'WRITE'],
    ['the webhook first', () => [messageEvent('m1'), commentCreated(comment('m1'))], 'WEBHOOK'],
  ])('record a reply once with %s', async (_order, batches, source) => {
    expect(await record(...batches())).toEqual([
      ['CREATED', 'FreshchatComment', source],
      ['UPDATED', 'FreshchatTicket', source],
    ]);
  });

  it.each([
    ['the write first', () => [ticketUpdated(ticket({ status: 'RESOLVED' }), ['status']), resolution()], 'WRITE'],
    ['the webhook first', () => [resolution(), ticketUpdated(ticket({ status: 'RESOLVED' }), ['status'])], 'WEBHOOK'],
  ])('record a resolution once with %s', async (_order, batches, source) => {
    expect(await record(...batches())).toEqual([['UPDATED', 'FreshchatTicket', source]]);
  });

  it('still records each later resolution and reopen of the conversation', async () => {
    const changes = await record(
      ticketUpdated(ticket({ status: 'RESOLVED' }), ['status']),
      resolution('2025-03-01T10:00:00.000Z'),
      reopen('2025-03-02T10:00:00.000Z'),
      resolution('2025-03-03T10:00:00.000Z'),
    );
    expect(changes).toEqual([
      ['UPDATED', 'FreshchatTicket', 'WRITE'],
      ['UPDATED', 'FreshchatTicket', 'WEBHOOK'],
      ['UPDATED', 'FreshchatTicket', 'WEBHOOK'],
    ]);
  });

  it('record a new conversation with its first message once, the message webhook adding nothing', async () => {
    expect(await record(ticketCreated(ticket(), ['m1']), messageEvent('m1'))).toEqual([
      ['CREATED', 'FreshchatTicket', 'WRITE'],
      ['CREATED', 'FreshchatComment', 'WRITE'],
    ]);
  });

  it('never lose a new conversation whose message webhook came first', async () => {
    const changes = await record(messageEvent('m1'), ticketCreated(ticket(), ['m1']));
    expect(changes).toContainEqual(['CREATED', 'FreshchatTicket', 'WRITE']);
    expect(changes.filter(([, type]) => type === 'FreshchatComment')).toHaveLength(1);
  });
});
