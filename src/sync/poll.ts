/**
 * One poll of one account (docs/sync.md "Polling"): what Freshchat never announces. Agents, groups
 * and roles are read whole and compared with the last snapshot (memberships come from the agents'
 * `groups` and `role_id`, so a membership change needs no call per group); contacts are read by
 * `updated_from` the last high-water mark. The first poll of a list stores its baseline and records
 * nothing. Reads happen first, then one transaction compares, records and stores, under the change
 * log's lock, so two pollers that overlap for a moment still record each change once.
 */
import type { Database, Queryable } from '../accounts/db.js';
import type { FreshchatClient } from '../freshchat/client.js';
import type { Page, PageQuery } from '../freshchat/page.js';
import { counted } from '../loaders/paged-list.js';
import { walkAll } from '../loaders/walk.js';
import { listAgents, toTicketingUser } from '../resources/agents.js';
import { listUsers, toUser } from '../resources/contacts.js';
import { idOf } from '../resources/fields.js';
import { listGroups, toGroup } from '../resources/groups.js';
import { listRoles, toRole } from '../resources/roles.js';
import { lockChangeLog, recordChangesIn, type NewChange } from './change-log.js';
import { diffContacts, diffList, type ListDiff } from './diff.js';
import { dropStates, loadProgress, loadStates, saveProgress, saveStates } from './snapshots.js';
import { agentState, contactState, groupState, memberships, roleState, type State, type TrackedType } from './states.js';

export interface PollDeps {
  db: Database;
  /** The account's client, at background priority in its quota. */
  client: FreshchatClient;
  /** items_per_page to ask for. */
  pageSize: number;
  now: () => number;
}

export interface PollResult {
  /** Changes recorded by this poll. */
  recorded: number;
  /** Lists whose baseline this poll took (nothing recorded for them). */
  baselines: string[];
}

export async function pollAccount(deps: PollDeps): Promise<PollResult> {
  const results = { directory: await pollDirectory(deps), contacts: await pollContacts(deps) };
  return {
    recorded: (results.directory ?? 0) + (results.contacts ?? 0),
    baselines: Object.entries(results).filter(([, n]) => n === null).map(([list]) => list),
  };
}

const walk = <T>(fetch: (page: PageQuery) => Promise<Page<T>>, pageSize: number): Promise<T[]> =>
  walkAll(async (request) => counted(await fetch({ page: request.page, items_per_page: request.perPage })), pageSize);

/** Agents, groups and roles; returns how many changes it recorded, or null for a baseline. */
async function pollDirectory({ db, client, pageSize, now }: PollDeps): Promise<number | null> {
  const accountId = client.account.id;
  const [agents, groups, roles] = await Promise.all([
    walk((page) => listAgents(client, {}, page), pageSize).then((raw) => raw.map((a) => toTicketingUser(a, accountId))),
    walk((page) => listGroups(client, page), pageSize).then((raw) => raw.map((g) => toGroup(g, accountId))),
    walk((page) => listRoles(client, page), pageSize).then((raw) => raw.map((r) => toRole(r, accountId))),
  ]);
  const members = memberships(agents);
  const lists: [TrackedType, Map<string, State>][] = [
    ['FreshchatTicketingUser', new Map(agents.map((a) => [a.remoteId, agentState(a)]))],
    ['FreshchatGroup', new Map(groups.map((g) => [g.remoteId, groupState(g, members.groups.get(g.remoteId) ?? [])]))],
    ['FreshchatRole', new Map(roles.map((r) => [r.remoteId, roleState(r, members.roles.get(r.remoteId) ?? [])]))],
  ];
  return db.transaction(async (tx) => {
    await lockChangeLog(tx);
    const baseline = (await loadProgress(tx, accountId, 'directory')) === null;
    const changes: NewChange[] = [];
    for (const [type, current] of lists) {
      const before = await loadStates(tx, accountId, type);
      // The baseline forgets whatever was kept before (states a write left): it starts the snapshot.
      const diff = baseline ? { changes: [], save: current, drop: [...before.keys()].filter((id) => !current.has(id)) } : diffList(before, current);
      await store(tx, accountId, type, diff);
      changes.push(...toNewChanges(accountId, type, diff));
    }
    await saveProgress(tx, accountId, 'directory', new Date(now()), null);
    await recordChangesIn(tx, changes);
    return baseline ? null : changes.length;
  });
}

/** Contacts updated since the high-water mark; returns how many changes it recorded, or null for a baseline. */
async function pollContacts({ db, client, pageSize, now }: PollDeps): Promise<number | null> {
  const accountId = client.account.id;
  const startedAt = new Date(now());
  const progress = await loadProgress(db, accountId, 'contacts');
  if (progress === null) {
    // Nothing to read: the baseline is "contacts as of now", and the next poll asks from here.
    await db.transaction((tx) => saveProgress(tx, accountId, 'contacts', startedAt, startedAt));
    return null;
  }
  const mark = progress.highWaterMark ?? progress.baselineAt;
  const raw = await walk((page) => listUsers(client, { updated_from: mark.toISOString() }, page), pageSize);
  const seen = raw.map((user) => {
    const contact = toUser(user, accountId);
    return { remoteId: contact.remoteId, state: contactState(contact), createdAt: toDate(contact.createdAt), updatedAt: toDate(contact.updatedAt) };
  });
  // The latest updated_time seen, never past this poll's start: a contact updated while the pages were
  // read may have been missed, so it is asked for again next time (an unchanged state records nothing).
  const newest = Math.max(mark.getTime(), ...seen.map((c) => Math.min(c.updatedAt?.getTime() ?? 0, startedAt.getTime())));
  return db.transaction(async (tx) => {
    await lockChangeLog(tx);
    const before = await loadStates(tx, accountId, 'FreshchatUser', seen.map((c) => c.remoteId));
    const diff = diffContacts(before, seen, mark);
    await store(tx, accountId, 'FreshchatUser', diff);
    await saveProgress(tx, accountId, 'contacts', startedAt, new Date(newest));
    const changes = toNewChanges(accountId, 'FreshchatUser', diff);
    await recordChangesIn(tx, changes);
    return changes.length;
  });
}

async function store(tx: Queryable, accountId: string, type: TrackedType, diff: ListDiff): Promise<void> {
  await saveStates(tx, accountId, type, diff.save);
  await dropStates(tx, accountId, type, diff.drop);
}

function toNewChanges(accountId: string, type: TrackedType, diff: ListDiff): NewChange[] {
  return diff.changes.map((change) => ({
    accountId,
    kind: change.kind,
    objectType: type,
    objectId: idOf(type, accountId, change.remoteId),
    changedFields: change.changedFields,
    occurredAt: change.occurredAt,
    source: 'POLL',
  }));
}

function toDate(value: string | null): Date | null {
  const ms = value === null ? Number.NaN : Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}
