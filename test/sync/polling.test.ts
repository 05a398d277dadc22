import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentShape } from '../../src/sandbox/index.js';
import { toGlobalId } from '../../src/relay/ids.js';
import { ACCOUNT_ID, startSyncHarness, type ChangeNode, type SyncHarness } from './harness.js';

let h: SyncHarness;
let seen = 0;

beforeAll(async () => {
  h = await startSyncHarness({ webhooks: false });
  await h.tick(); // the baseline
}, 60_000);
afterAll(async () => h?.close());
beforeEach(async () => {
  seen = (await h.changes()).length;
});

/** Changes recorded since the test began, as [kind, objectType, remoteId, changedFields (sorted)]. */
async function newChanges(): Promise<[string, string, string, string[]][]> {
  return (await h.changes()).slice(seen).map((c: ChangeNode) => [c.kind, c.objectType, remoteOf(c.objectId), [...c.changedFields].sort()]);
}
const remoteOf = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':').slice(4).join(':');

/** What Freshchat's admin UI does, through the sandbox's /sandbox/ endpoints. */
async function inFreshchat(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const origin = new URL(h.sandbox.baseUrl).origin;
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${h.sandbox.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return res.status === 204 ? {} : ((await res.json()) as Record<string, unknown>);
}

const agents = () => h.sandbox.dataset.agents;
const activeAgent = (n: number) => agents().filter((a, i) => !agentShape.deactivated(i) && !a.is_deactivated)[n]!;

describe('polling agents, groups and roles', () => {
  it('records nothing at its baseline, nor when nothing changed', async () => {
    expect(seen).toBe(0);
    await h.tick();
    expect(await newChanges()).toEqual([]);
  });

  it('records an agent deactivated in Freshchat as UPDATED ["isActive"]', async () => {
    const agent = activeAgent(0);
    await inFreshchat('PATCH', `/sandbox/agents/${agent.id}`, { is_deactivated: true });
    await h.tick();
    expect(await newChanges()).toEqual([['UPDATED', 'FreshchatTicketingUser', agent.id, ['isActive']]]);
  });

  it('records an agent Freshchat no longer lists as DELETED, and its groups UPDATED ["members"]', async () => {
    const agent = activeAgent(1);
    await inFreshchat('DELETE', `/sandbox/agents/${agent.id}`);
    await h.tick();
    const changes = await newChanges();
    expect(changes[0]).toEqual(['DELETED', 'FreshchatTicketingUser', agent.id, []]);
    expect(changes.slice(1)).toEqual((agent.groups ?? []).map((g) => ['UPDATED', 'FreshchatGroup', g, ['members']]).concat(
      [['UPDATED', 'FreshchatRole', agent.role_id!, ['members']]],
    ));
  });

  it('records a membership change as the groups UPDATED ["members"] and the agent UPDATED ["groups"]', async () => {
    const agent = activeAgent(2);
    const before = agent.groups ?? [];
    const target = h.sandbox.dataset.groups.find((g) => !before.includes(g.id))!;
    await inFreshchat('PATCH', `/sandbox/agents/${agent.id}`, { groups: [...before, target.id] });
    await h.tick();
    expect(await newChanges()).toEqual([
      ['UPDATED', 'FreshchatTicketingUser', agent.id, ['groups']],
      ['UPDATED', 'FreshchatGroup', target.id, ['members']],
    ]);
  });

  it('records a new agent, a renamed agent and a new role holder', async () => {
    const created = await inFreshchat('POST', '/sandbox/agents', { email: 'new.agent@support.example.com', first_name: 'Nia' });
    const renamed = activeAgent(3);
    const oldRole = renamed.role_id!;
    const role = h.sandbox.dataset.roles.find((r) => r.id !== oldRole)!;
    await inFreshchat('PATCH', `/sandbox/agents/${renamed.id}`, { first_name: 'Renamed', role_id: role.id });
    await h.tick();
    expect(new Set(await newChanges())).toEqual(
      new Set([
        ['CREATED', 'FreshchatTicketingUser', created.id, []],
        ['UPDATED', 'FreshchatTicketingUser', renamed.id, ['firstName', 'name', 'role']],
        ['UPDATED', 'FreshchatRole', role.id, ['members']],
        ['UPDATED', 'FreshchatRole', oldRole, ['members']],
      ]),
    );
  });

  it('records a group created, renamed and removed', async () => {
    const group = await inFreshchat('POST', '/sandbox/groups', { name: 'Night shift' });
    await h.tick();
    await inFreshchat('PATCH', `/sandbox/groups/${group.id as string}`, { name: 'Night shift EU', description: 'after 22:00' });
    await h.tick();
    await inFreshchat('DELETE', `/sandbox/groups/${group.id as string}`);
    await h.tick();
    expect(await newChanges()).toEqual([
      ['CREATED', 'FreshchatGroup', group.id, []],
      ['UPDATED', 'FreshchatGroup', group.id, ['description', 'name']],
      ['DELETED', 'FreshchatGroup', group.id, []],
    ]);
  });
});

describe('polling contacts by their updated time', () => {
  const freshchatApi = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${h.sandbox.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${h.sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { id: string; updated_time: string };
  };

  it('records a contact created in Freshchat as CREATED, then its update as UPDATED with the fields that differ', async () => {
    const contact = await freshchatApi('POST', '/users', { first_name: 'Ona', email: 'ona@example.com' });
    await h.tick();
    await freshchatApi('PUT', `/users/${contact.id}`, { phone: '+44 20 7946 0000' });
    await h.tick();
    const changes = (await h.changes()).slice(seen);
    expect(changes.map((c) => [c.kind, c.objectType, remoteOf(c.objectId), c.changedFields])).toEqual([
      ['CREATED', 'FreshchatUser', contact.id, []],
      ['UPDATED', 'FreshchatUser', contact.id, ['phones']],
    ]);
    expect(changes[1]!.occurredAt).toBe(h.sandbox.dataset.users.find((u) => u.id === contact.id)!.updated_time);
  });

  it('records a contact made before the mark and updated since as UPDATED', async () => {
    const old = h.sandbox.dataset.users[10]!;
    await freshchatApi('PUT', `/users/${old.id}`, { last_name: 'Changed' });
    await h.tick();
    expect(await newChanges()).toEqual([['UPDATED', 'FreshchatUser', old.id, []]]);
  });

  it('reads only contacts updated since the last poll (updated_from its mark)', async () => {
    h.sandbox.resetCalls();
    await h.tick();
    const userCalls = h.sandbox.calls.filter((c) => c.path === '/v2/users');
    expect(userCalls.length).toBeGreaterThan(0);
    expect(userCalls.every((c) => c.query.updated_from !== undefined && Date.parse(c.query.updated_from) > Date.parse('2025-01-01T00:00:00Z'))).toBe(true);
  });
});

describe('a change read through its object', () => {
  it('resolves `object` as the object is now, and null once deleted', async () => {
    const agent = activeAgent(4);
    await inFreshchat('PATCH', `/sandbox/agents/${agent.id}`, { availability_status: agent.availability_status === 'AVAILABLE' ? 'UNAVAILABLE' : 'AVAILABLE' });
    await h.tick();
    await inFreshchat('DELETE', `/sandbox/agents/${agent.id}`);
    await h.tick();
    const { data } = await h.query<{ freshchat: { changes: { nodes: { kind: string; objectId: string; object: { id: string } | null }[] } } }>(
      `{ freshchat { changes(first: 100, types: ["FreshchatTicketingUser"]) { nodes { kind objectId object { id } } } } }`,
    );
    const mine = data!.freshchat.changes.nodes.filter((c) => remoteOf(c.objectId) === agent.id);
    expect(mine.map((c) => [c.kind, c.object])).toEqual([
      ['UPDATED', null], // gone by now: the read finds nothing
      ['DELETED', null],
    ]);
    const id = toGlobalId({ provider: 'freshchat', typename: 'FreshchatTicketingUser', accountId: ACCOUNT_ID, remoteId: activeAgent(5).id });
    await inFreshchat('PATCH', `/sandbox/agents/${activeAgent(5).id}`, { first_name: 'Still here' });
    await h.tick();
    const again = await h.query<{ freshchat: { changes: { nodes: { objectId: string; object: { id: string; firstName: string } | null }[] } } }>(
      `{ freshchat { changes(first: 100, types: ["FreshchatTicketingUser"]) { nodes { objectId object { id ... on FreshchatTicketingUser { firstName } } } } } }`,
    );
    expect(again.data!.freshchat.changes.nodes.filter((c) => c.objectId === id).at(-1)?.object).toEqual({ id, firstName: 'Still here' });
  });
});
