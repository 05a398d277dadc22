import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toObservations, UnknownEvent } from '../../src/sync/freshchat-events.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/webhooks/${name}.json`, import.meta.url), 'utf8'));
const CONVERSATION = '35e80ec8-c697-42e4-8ce9-a47a050b1d1a';

const summary = (name: string) =>
  toObservations('acme', fixture(name)).map(({ change, objectType, remoteId, onlyIfChanged }) => ({
    kind: change.kind,
    objectType,
    remoteId,
    changedFields: change.changedFields ?? [],
    occurredAt: change.occurredAt?.toISOString(),
    dedupeKey: change.dedupeKey,
    onlyIfChanged: onlyIfChanged ?? false,
  }));

describe("Freshchat's webhook events", () => {
  it('tell a new message as a comment CREATED and its conversation UPDATED ["comments"], keyed by message id', () => {
    expect(summary('message-create')).toEqual([
      {
        kind: 'CREATED',
        objectType: 'FreshchatComment',
        remoteId: `${CONVERSATION}/a834cd45-c463-4644-b254-be920924a998`,
        changedFields: [],
        occurredAt: '2022-11-22T10:55:23.126Z',
        dedupeKey: 'message:a834cd45-c463-4644-b254-be920924a998',
        onlyIfChanged: false,
      },
      {
        kind: 'UPDATED',
        objectType: 'FreshchatTicket',
        remoteId: CONVERSATION,
        changedFields: ['comments'],
        occurredAt: '2022-11-22T10:55:23.126Z',
        dedupeKey: 'message:a834cd45-c463-4644-b254-be920924a998:ticket',
        onlyIfChanged: false,
      },
    ]);
  });

  it.each([
    ['conversation-assignment', ['assignee', 'assignedGroup'], 'conversation_assignment:2022-11-22T11:02:10.511Z'],
    ['conversation-resolution', ['status'], 'conversation_resolution:2022-11-22T11:30:00.000Z'],
    ['conversation-reopen', ['status'], 'conversation_reopen:2022-11-23T09:00:00.000Z'],
  ])('tell %s as the conversation UPDATED %j, keyed by action, time and conversation', (name, fields, key) => {
    expect(summary(name)).toEqual([
      expect.objectContaining({ kind: 'UPDATED', objectType: 'FreshchatTicket', remoteId: CONVERSATION, changedFields: fields, dedupeKey: `${key}:${CONVERSATION}`, onlyIfChanged: true }),
    ]);
  });

  it('keep the state each event brings, to tell the echo of a write', () => {
    expect(toObservations('acme', fixture('conversation-resolution'))[0]?.state).toEqual({ kind: 'merge', state: { status: 'RESOLVED' } });
    expect(toObservations('acme', fixture('conversation-assignment'))[0]?.state).toEqual({
      kind: 'merge',
      state: { assignee: '5f0d7e4c-27d4-4f0b-9a55-0b0f3c7e8f21', assignedGroup: '6c03caf2-a37f-45a2-a9a3-6e03aa7b85f5' },
    });
  });

  it.each([
    ['an action Freshchat may add later', { action: 'conversation_snooze', action_time: '2022-11-22T10:55:23.126Z', data: {} }],
    ['a message without an id', { action: 'message_create', data: { message: { conversation_id: 'c' } } }],
    ['no envelope at all', [1, 2, 3]],
  ])('are not recorded when they are %s', (_case, payload) => {
    expect(() => toObservations('acme', payload)).toThrow(UnknownEvent);
  });
});
