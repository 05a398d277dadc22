import { describe, expect, it } from 'vitest';
import { agentShape, contactShape, createDataset, referenceIdFor } from '../../src/sandbox/index.js';
import { createRandom } from '../../src/sandbox/random.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const dataset = createDataset();

describe('createRandom', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const draw = (seed: number) => {
      const rng = createRandom(seed);
      return [rng.next(), rng.int(1, 6), rng.uuid(), rng.hex(8)];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });
});

describe('createDataset', () => {
  it('is byte-identical for the same seed and different for another seed', () => {
    expect(JSON.stringify(createDataset(1))).toBe(JSON.stringify(dataset));
    expect(JSON.stringify(createDataset(2))).not.toBe(JSON.stringify(dataset));
  });

  it('holds 2000 contacts, 150 agents, 12 groups and 6 roles', () => {
    expect([dataset.users.length, dataset.agents.length, dataset.groups.length, dataset.roles.length]).toEqual([2000, 150, 12, 6]);
  });

  it('has the four built-in roles with fixed ids and two custom roles with UUIDs', () => {
    expect(dataset.roles.map((r) => [r.id, r.is_custom_role]).slice(0, 4)).toEqual([
      ['ACCOUNT_ADMIN', false], ['ADMIN', false], ['SUPERVISOR', false], ['AGENT', false],
    ]);
    expect(dataset.roles.slice(4).every((r) => UUID.test(r.id) && r.is_custom_role === true)).toBe(true);
  });

  it('staffs every role, with exactly one Account Admin', () => {
    for (const role of dataset.roles) {
      const members = dataset.agents.filter((a) => a.role_id === role.id);
      expect(members.length, role.id).toBeGreaterThan(0);
      expect(members.every((a) => a.role_name === role.name)).toBe(true);
    }
    expect(dataset.agents.filter((a) => a.role_id === 'ACCOUNT_ADMIN')).toEqual([dataset.agents[0]]);
  });

  it('gives agents UUID ids and 0 to 3 known groups, some none', () => {
    const groupIds = new Set(dataset.groups.map((g) => g.id));
    for (const agent of dataset.agents) {
      expect(agent.id).toMatch(UUID);
      expect(agent.groups?.length).toBeLessThanOrEqual(3);
      expect(agent.groups?.every((g) => groupIds.has(g))).toBe(true);
      expect(agent.created_time).toMatch(ISO_MS);
    }
    expect(dataset.agents.some((a) => a.groups?.length === 0)).toBe(true);
    expect(dataset.agents.some((a) => a.groups?.length === 3)).toBe(true);
  });

  it('deactivates 10% of agents and marks about 30% unavailable', () => {
    const deactivated = dataset.agents.filter((a) => a.is_deactivated);
    const unavailable = dataset.agents.filter((a) => a.availability_status === 'UNAVAILABLE');
    expect(deactivated.map((a) => dataset.agents.indexOf(a))).toEqual(
      Array.from({ length: 150 }, (_, i) => i).filter(agentShape.deactivated),
    );
    expect(deactivated).toHaveLength(15);
    expect(unavailable.length).toBeGreaterThan(30);
    expect(unavailable.length).toBeLessThan(70);
  });

  it('puts at least 3 agents in every group, and a deactivated agent in some', () => {
    const members = (id: string) => dataset.agents.filter((a) => a.groups?.includes(id));
    expect(dataset.groups.every((g) => members(g.id).length >= 3)).toBe(true);
    expect(dataset.groups.filter((g) => members(g.id).some((a) => a.is_deactivated)).length).toBeGreaterThan(0);
  });

  it('gives about 5% of contacts non-UUID ids and the rest UUIDs, all unique', () => {
    const opaque = dataset.users.filter((u) => !UUID.test(u.id));
    expect(opaque).toHaveLength(100);
    expect(opaque.every((u) => /^[A-Za-z]+_alias[0-9a-f]{32}$/.test(u.id))).toBe(true);
    expect(contactShape.opaqueId(7) && !UUID.test(dataset.users[7]!.id)).toBe(true);
    expect(new Set(dataset.users.map((u) => u.id)).size).toBe(2000);
  });

  it('spreads distinct creation and update times over about two years, in list order', () => {
    const created = dataset.users.map((u) => u.created_time ?? '');
    expect(created.every((t) => ISO_MS.test(t))).toBe(true);
    expect([...created].sort()).toEqual(created);
    expect(new Set(created).size).toBe(2000);
    expect(new Set(dataset.users.map((u) => u.updated_time)).size).toBe(2000);
    expect(dataset.users.every((u) => (u.updated_time ?? '') > (u.created_time ?? ''))).toBe(true);
    expect(created[0]! < '2023-01-02' && created[1999]! > '2024-12-01').toBe(true);
  });

  it('gives every 4th contact the reference id crm-<index>', () => {
    expect(dataset.users[0]!.reference_id).toBe('crm-00000');
    expect(dataset.users[40]!.reference_id).toBe(referenceIdFor(40));
    expect(dataset.users.filter((u) => u.reference_id)).toHaveLength(500);
  });

  it('fills every optional field of contact #0', () => {
    expect(Object.keys(dataset.users[0]!).sort()).toEqual([
      'avatar', 'created_time', 'email', 'first_name', 'id', 'last_name', 'login_status', 'org_contact_id',
      'phone', 'properties', 'reference_id', 'restore_id', 'social_profiles', 'updated_time',
    ]);
  });

  it('has contacts with null or missing names and emails, phones, properties and restore ids', () => {
    const some = (test: (u: (typeof dataset.users)[number]) => boolean) => dataset.users.some(test);
    expect(some((u) => u.first_name === null)).toBe(true);
    expect(some((u) => !('first_name' in u))).toBe(true);
    expect(some((u) => u.email === null)).toBe(true);
    expect(some((u) => !('email' in u))).toBe(true);
    expect(some((u) => Boolean(u.phone))).toBe(true);
    expect(some((u) => (u.properties?.length ?? 0) > 0)).toBe(true);
    expect(some((u) => Boolean(u.restore_id))).toBe(true);
    expect(some((u) => Boolean(u.social_profiles?.length))).toBe(true);
  });

  it('builds a bare account configuration', () => {
    expect(dataset.configuration).toMatchObject({ datacenter: 'US', account_domain: expect.stringMatching(/\.freshchat\.com$/) });
    expect(typeof dataset.configuration.organisation_id).toBe('number');
  });
});
