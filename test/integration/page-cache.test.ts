import { afterEach, describe, expect, it } from 'vitest';
import { globalId, startHarness, type Harness } from '../support/harness.js';
import { SET_AVAILABILITY } from '../writes/operations.js';

const AGENTS = `{ freshchat { ticketingUsers(first: 50) { edges { node { name } } } } }`;

describe('AGENT_PAGE_CACHE_TTL_MS', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function agentCallsOfSecondQuery(env: Record<string, string>): Promise<number> {
    h = await startHarness({ env });
    expect((await h.query(AGENTS)).errors).toBeUndefined();
    h.sandbox.resetCalls();
    const second = await h.query(AGENTS);
    expect(second.errors).toBeUndefined();
    return h.upstreamCalls('/v2/agents');
  }

  it('answers a repeated agent page from the cache when set', async () => {
    expect(await agentCallsOfSecondQuery({ AGENT_PAGE_CACHE_TTL_MS: '60000' })).toBe(0);
  });

  it('reads every agent page from Freshchat by default', async () => {
    expect(await agentCallsOfSecondQuery({})).toBe(1);
  });

  it('reads agent pages from Freshchat again after an agent write through this subgraph', async () => {
    h = await startHarness({ env: { AGENT_PAGE_CACHE_TTL_MS: '60000' } });
    const byAvailability = `{ freshchat { ticketingUsers(first: 50) { edges { node { remoteId availability } } } } }`;
    const first = await h.query<{ freshchat: { ticketingUsers: { edges: { node: { remoteId: string; availability: string } }[] } } }>(byAvailability);
    const agent = first.data!.freshchat.ticketingUsers.edges.map((e) => e.node).find((node) => node.availability === 'AVAILABLE')!;
    const write = await h.query(SET_AVAILABILITY, { id: globalId('FreshchatTicketingUser', agent.remoteId), availability: 'UNAVAILABLE' });
    expect(write.errors).toBeUndefined();
    h.sandbox.resetCalls();
    const after = await h.query<typeof first.data>(byAvailability);
    expect(h.upstreamCalls('/v2/agents')).toBe(1);
    expect(after.data!.freshchat.ticketingUsers.edges.find((e) => e.node.remoteId === agent.remoteId)!.node.availability).toBe('UNAVAILABLE');
  });
});
