import type { NewChange } from '../../src/sync/change-log.js';

let n = 0;
/** A change to record: an agent's availability by default, each with an object of its own. */
export const change = (overrides: Partial<NewChange> = {}): NewChange => ({
  accountId: 'acme',
  kind: 'UPDATED',
  objectType: 'FreshchatTicketingUser',
  objectId: `agent-${(n += 1)}`,
  changedFields: ['availability'],
  occurredAt: new Date('2025-01-02T03:04:05.000Z'),
  source: 'POLL',
  ...overrides,
});
