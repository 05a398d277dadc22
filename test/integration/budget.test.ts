import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { globalId, startHarness, type Harness } from '../support/harness.js';

// docs/design.md#the-upstream-call-budget: upstream calls per GraphQL request, counted at the sandbox. Page size 50.
describe('upstream call budget', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.sandbox.resetCalls());

  it('reads ticketingUsers(first: 50) with role and groups in ceil(50/50) + 2 calls', async () => {
    const res = await h.query<{ freshchat: { ticketingUsers: { nodes: unknown[] } } }>(`{
      freshchat { ticketingUsers(first: 50) { nodes { name role { name } groups { totalCount nodes { name } } } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.freshchat.ticketingUsers.nodes).toHaveLength(50);
    expect(h.upstreamCalls()).toBeLessThanOrEqual(3);
  });

  it('reads ticketingUsers(first: 100) with role and groups in ceil(100/50) + 2 calls', async () => {
    const res = await h.query(`{ freshchat { ticketingUsers(first: 100) { nodes { role { name } groups { nodes { name } } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(h.upstreamCalls()).toBeLessThanOrEqual(4);
  });

  it('reads 12 groups with members(first: 5) in at most 12 + 1 calls', async () => {
    const res = await h.query<{ freshchat: { groups: { nodes: { members: { nodes: unknown[] } }[] } } }>(`{
      freshchat { groups(first: 12) { nodes { name members(first: 5) { totalCount nodes { name isActive } } } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.freshchat.groups.nodes).toHaveLength(12);
    expect(h.upstreamCalls('/v2/agents')).toBeLessThanOrEqual(12);
    expect(h.upstreamCalls()).toBeLessThanOrEqual(13);
  });

  it('resolves _entities for 40 agent representations in no more calls than the agent list walk', async () => {
    const ids = agentIds(h).slice(0, 120);
    const representations = ids.filter((_, i) => i % 3 === 0).map((id) => ({ __typename: 'FreshchatTicketingUser', id }));
    expect(representations).toHaveLength(40);
    const res = await h.query<{ _entities: { id: string }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatTicketingUser { id name } } }`,
      { r: representations },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities.map((e) => e.id)).toEqual(representations.map((r) => r.id));
    expect(h.upstreamCalls()).toBeLessThanOrEqual(Math.ceil(150 / 50));
  });

  it('resolves a few _entities in at most one call each', async () => {
    const ids = agentIds(h).slice(60, 62);
    const res = await h.query<{ _entities: { id: string }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatTicketingUser { id } } }`,
      { r: ids.map((id) => ({ __typename: 'FreshchatTicketingUser', id })) },
    );
    expect(res.data?._entities.map((e) => e.id)).toEqual(ids);
    expect(h.upstreamCalls()).toBeLessThanOrEqual(2);
  });

  it('makes no extra calls for the same subtree under two aliases', async () => {
    const subtree = `ticketingUsers(first: 30) { nodes { name role { name } groups { nodes { name } } } }`;
    await h.query(`{ freshchat { ${subtree} } }`);
    const once = h.upstreamCalls();
    h.sandbox.resetCalls();
    const res = await h.query(`{ freshchat { a: ${subtree} b: ${subtree} } }`);
    expect(res.errors).toBeUndefined();
    expect(h.upstreamCalls()).toBe(once);
  });

  it('walks the agent list once for the members of every role', async () => {
    const res = await h.query(`{ freshchat { roles { nodes { name members(first: 100) { totalCount } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(h.upstreamCalls('/v2/agents')).toBe(3);
    expect(h.upstreamCalls()).toBe(4);
  });
});

function agentIds(h: Harness): string[] {
  return h.sandbox.dataset.agents.map((agent) => globalId('FreshchatTicketingUser', agent.id));
}
