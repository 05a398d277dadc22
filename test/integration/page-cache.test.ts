import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

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
});
