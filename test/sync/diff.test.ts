import { describe, expect, it } from 'vitest';
import { diffContacts, diffList } from '../../src/sync/diff.js';
import { changedFields, PENDING_DELETION, type State } from '../../src/sync/states.js';

const agent = (overrides: Record<string, unknown> = {}): State => ({ name: 'Ada Lovelace', isActive: true, availability: 'AVAILABLE', groups: ['g1'], ...overrides });
const list = (...entries: [string, State][]) => new Map(entries);

describe('a list read whole against its snapshot', () => {
  it('records nothing when nothing changed', () => {
    expect(diffList(list(['a', agent()]), list(['a', agent()])).changes).toEqual([]);
  });

  it.each([
    ['a new agent', list(), list(['a', agent()]), [{ remoteId: 'a', kind: 'CREATED', changedFields: [] }]],
    ['a deactivated agent still listed', list(['a', agent()]), list(['a', agent({ isActive: false })]), [{ remoteId: 'a', kind: 'UPDATED', changedFields: ['isActive'] }]],
    ['an agent no longer listed', list(['a', agent()]), list(), [{ remoteId: 'a', kind: 'DELETED', changedFields: [] }]],
    [
      'an agent moved to another group',
      list(['a', agent()]),
      list(['a', agent({ groups: ['g2'] })]),
      [{ remoteId: 'a', kind: 'UPDATED', changedFields: ['groups'] }],
    ],
    [
      'two fields at once',
      list(['a', agent()]),
      list(['a', agent({ availability: 'UNAVAILABLE', name: 'Ada King' })]),
      [{ remoteId: 'a', kind: 'UPDATED', changedFields: ['name', 'availability'] }],
    ],
  ])('records %s', (_case, before, now, changes) => {
    expect(diffList(before, now).changes).toEqual(changes.map((c) => ({ ...c, occurredAt: null })));
  });

  it('keeps the new states and forgets the objects gone', () => {
    const diff = diffList(list(['a', agent()], ['b', agent()]), list(['a', agent({ isActive: false })], ['c', agent()]));
    expect([...diff.save.keys()]).toEqual(['a', 'c']);
    expect(diff.drop).toEqual(['b']);
  });

  it('lets an agent whose deletion a write recorded leave without a second DELETED', () => {
    const diff = diffList(list(['a', { ...agent(), [PENDING_DELETION]: true }]), list());
    expect(diff.changes).toEqual([]);
    expect(diff.drop).toEqual(['a']);
  });

  it('compares objects whatever order their keys come back in (jsonb reorders them)', () => {
    const stored = { ...agent(), emails: [{ type: null, isPrimary: true, address: 'ada@example.com' }] };
    const read = { ...agent(), emails: [{ address: 'ada@example.com', type: null, isPrimary: true }] };
    expect(changedFields(stored, read)).toEqual([]);
  });
});

describe('contacts updated since the high-water mark', () => {
  const mark = new Date('2025-01-01T00:00:00.000Z');
  const seen = (remoteId: string, created: string, state: State = { name: 'Grace' }) => ({
    remoteId,
    state,
    createdAt: new Date(created),
    updatedAt: new Date('2025-01-02T00:00:00.000Z'),
  });

  it('records a contact created after the mark as CREATED, with its updated time', () => {
    expect(diffContacts(new Map(), [seen('c', '2025-01-01T12:00:00.000Z')], mark).changes).toEqual([
      { remoteId: 'c', kind: 'CREATED', changedFields: [], occurredAt: new Date('2025-01-02T00:00:00.000Z') },
    ]);
  });

  it('records one created before the mark as UPDATED, with no fields when it was never seen', () => {
    expect(diffContacts(new Map(), [seen('c', '2024-06-01T00:00:00.000Z')], mark).changes).toMatchObject([{ kind: 'UPDATED', changedFields: [] }]);
  });

  it('names the fields that differ from the state kept before', () => {
    const before = new Map([['c', { name: 'Grace', phones: [] }]]);
    const diff = diffContacts(before, [seen('c', '2024-06-01T00:00:00.000Z', { name: 'Grace', phones: [{ number: '+1' }] })], mark);
    expect(diff.changes).toMatchObject([{ kind: 'UPDATED', changedFields: ['phones'] }]);
  });

  it('records nothing for a contact whose state is the one kept (a write through the subgraph)', () => {
    const before = new Map([['c', { name: 'Grace' }]]);
    expect(diffContacts(before, [seen('c', '2025-01-01T12:00:00.000Z')], mark).changes).toEqual([]);
  });
});
