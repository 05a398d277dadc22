/**
 * Recording what a webhook or a write tells of one object (docs/sync.md): the change, and the state
 * the next poll or webhook should find unchanged, in one transaction under the change log's lock.
 *
 * A write through this subgraph and the webhook Freshchat sends for it describe one change. A new
 * message has an id, and both record it under the same dedupe key; a conversation's status or
 * assignment has none, so each records only when the state it brings differs from the one kept
 * (`onlyIfChanged`): whichever of the two comes second finds it already there.
 */
import type { Database, Queryable } from '../accounts/db.js';
import { idOf } from '../resources/fields.js';
import { lockChangeLog, recordChangesIn, type NewChange, type RecordedChange } from './change-log.js';
import { dropStates, loadStates, saveStates } from './snapshots.js';
import { changedFields, PENDING_DELETION, type State, type TrackedType } from './states.js';

/** What to keep of the object after the change. */
export type StateUpdate =
  /** The whole state (a contact as Freshchat returned it). */
  | { kind: 'replace'; state: State }
  /** Some fields of a state kept before; nothing when none was (a poll's baseline will take it). */
  | { kind: 'patch'; state: State }
  /** Some fields, kept whether or not a state was (a conversation's status and assignment). */
  | { kind: 'merge'; state: State }
  /** Its deletion was asked for: the poll that no longer finds it records nothing. */
  | { kind: 'pendingDeletion' }
  | { kind: 'forget' };

export interface Observation {
  change: Omit<NewChange, 'objectType' | 'objectId' | 'changedFields'> & { changedFields?: readonly string[] };
  objectType: TrackedType | 'FreshchatComment';
  remoteId: string;
  /** Only for tracked types. */
  state?: StateUpdate;
  /**
   * Record only when `state` differs from the one kept, with the fields that differ when the change
   * names none (the first state seen of an object counts as a change).
   */
  onlyIfChanged?: boolean;
  /** Record nothing when the account already has a change under this dedupe key (a message's, for its conversation). */
  unlessRecorded?: string;
}

export async function recordObservations(db: Database, observations: readonly Observation[]): Promise<RecordedChange[]> {
  if (observations.length === 0) return [];
  return db.transaction(async (tx) => {
    await lockChangeLog(tx);
    const changes: NewChange[] = [];
    for (const observation of observations) {
      const change = await observe(tx, observation);
      if (change) changes.push(change);
    }
    return recordChangesIn(tx, changes);
  });
}

async function observe(tx: Queryable, observation: Observation): Promise<NewChange | null> {
  const { change, objectType, remoteId, state } = observation;
  if (observation.unlessRecorded !== undefined && (await hasChange(tx, change.accountId, observation.unlessRecorded))) return null;
  const objectId = idOf(objectType, change.accountId, remoteId);
  let fields = change.changedFields ?? [];
  if (state !== undefined && objectType !== 'FreshchatComment') {
    const kept = (await loadStates(tx, change.accountId, objectType, [remoteId])).get(remoteId);
    if (observation.onlyIfChanged && 'state' in state && kept !== undefined) {
      const differ = changedFields(kept, state.state);
      if (differ.length === 0) return null;
      if (fields.length === 0) fields = differ;
    }
    await keep(tx, change.accountId, objectType, remoteId, state, kept);
  }
  return { ...change, objectType, objectId, changedFields: fields };
}

async function hasChange(tx: Queryable, accountId: string, dedupeKey: string): Promise<boolean> {
  return (await tx.query('select 1 from changes where account_id = $1 and dedupe_key = $2', [accountId, dedupeKey])).length > 0;
}

async function keep(tx: Queryable, accountId: string, type: TrackedType, remoteId: string, update: StateUpdate, kept: State | undefined): Promise<void> {
  switch (update.kind) {
    case 'replace':
      return saveStates(tx, accountId, type, new Map([[remoteId, update.state]]));
    case 'merge':
      return saveStates(tx, accountId, type, new Map([[remoteId, { ...kept, ...update.state }]]));
    case 'patch':
      return kept === undefined ? undefined : saveStates(tx, accountId, type, new Map([[remoteId, { ...kept, ...update.state }]]));
    case 'pendingDeletion':
      return kept === undefined ? undefined : saveStates(tx, accountId, type, new Map([[remoteId, { ...kept, [PENDING_DELETION]: true }]]));
    case 'forget':
      return dropStates(tx, accountId, type, [remoteId]);
    default:
      return update satisfies never;
  }
}
