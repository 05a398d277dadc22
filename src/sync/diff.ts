/**
 * What a poll found, as changes (docs/sync.md "Polling"): pure comparisons of what Freshchat lists
 * now with the states kept from before. The poller stores the states and records the changes.
 */
import type { ChangeKind } from './change-log.js';
import { changedFields, PENDING_DELETION, type State } from './states.js';

export interface ObjectChange {
  remoteId: string;
  kind: ChangeKind;
  changedFields: string[];
  /** Freshchat's time of the change, when the object carries one (contacts' `updated_time`). */
  occurredAt: Date | null;
}

export interface ListDiff {
  changes: ObjectChange[];
  /** States to store (new or changed). */
  save: Map<string, State>;
  /** Objects to forget (gone from the list). */
  drop: string[];
}

/**
 * A list read whole (agents, groups, roles) against its last snapshot: new objects are CREATED,
 * changed ones UPDATED with the fields that differ, missing ones DELETED. An agent whose deletion
 * this subgraph requested (and recorded) leaves quietly when Freshchat finally deletes it.
 */
export function diffList(before: ReadonlyMap<string, State>, now: ReadonlyMap<string, State>): ListDiff {
  const diff: ListDiff = { changes: [], save: new Map(), drop: [] };
  for (const [remoteId, state] of now) {
    const previous = before.get(remoteId);
    if (previous === undefined) {
      diff.changes.push({ remoteId, kind: 'CREATED', changedFields: [], occurredAt: null });
      diff.save.set(remoteId, state);
      continue;
    }
    const fields = changedFields(previous, state);
    if (fields.length === 0) continue;
    diff.changes.push({ remoteId, kind: 'UPDATED', changedFields: fields, occurredAt: null });
    diff.save.set(remoteId, previous[PENDING_DELETION] === true ? { ...state, [PENDING_DELETION]: true } : state);
  }
  for (const [remoteId, previous] of before) {
    if (now.has(remoteId)) continue;
    diff.drop.push(remoteId);
    if (previous[PENDING_DELETION] !== true) diff.changes.push({ remoteId, kind: 'DELETED', changedFields: [], occurredAt: null });
  }
  return diff;
}

/** A contact a poll found updated since the high-water mark. */
export interface SeenContact {
  remoteId: string;
  state: State;
  createdAt: Date | null;
  updatedAt: Date | null;
}

/**
 * Contacts updated since `mark`: CREATED when created after the mark, else UPDATED (with the fields
 * that differ from a state kept before, or none when the contact was never seen). A contact whose
 * state is what was kept (a write through this subgraph, or a repeat at the mark) records nothing.
 */
export function diffContacts(before: ReadonlyMap<string, State>, seen: readonly SeenContact[], mark: Date): ListDiff {
  const diff: ListDiff = { changes: [], save: new Map(), drop: [] };
  for (const contact of seen) {
    const previous = before.get(contact.remoteId) ?? diff.save.get(contact.remoteId);
    if (previous?.[PENDING_DELETION] === true) continue; // deleted through this subgraph: Freshchat deletes it later
    const fields = previous === undefined ? [] : changedFields(previous, contact.state);
    if (previous !== undefined && fields.length === 0) continue;
    const created = previous === undefined && contact.createdAt !== null && contact.createdAt > mark;
    diff.changes.push({ remoteId: contact.remoteId, kind: created ? 'CREATED' : 'UPDATED', changedFields: fields, occurredAt: contact.updatedAt });
    diff.save.set(contact.remoteId, contact.state);
  }
  return diff;
}
