import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Freshchat from '../../src/resources/wire.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get } from './client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const all = '&items_per_page=50';
async function listAll(query: string): Promise<Freshchat.Agent[]> {
  const first = await get<Freshchat.AgentList>(sandbox, `/agents?${query}${all}`);
  const rest = [];
  for (let page = 2; page <= first.body.pagination.total_pages; page += 1) {
    rest.push(...(await get<Freshchat.AgentList>(sandbox, `/agents?${query}${all}&page=${page}`)).body.agents);
  }
  return [...first.body.agents, ...rest];
}

describe('GET /agents', () => {
  it('lists every agent by created_time ascending, and descending with sort_order=desc', async () => {
    const ascending = await listAll('sort_order=asc');
    expect(ascending).toEqual(sandbox.dataset.agents);
    expect(await listAll('sort_order=desc')).toEqual([...sandbox.dataset.agents].reverse());
  });

  it('filters by group id', async () => {
    const group = sandbox.dataset.groups[0]!;
    const expected = sandbox.dataset.agents.filter((a) => a.groups?.includes(group.id));
    expect(await listAll(`groups=${group.id}`)).toEqual(expected);
  });

  it('filters by is_deactivated and availability_status, combined with AND', async () => {
    const deactivated = await listAll('is_deactivated=true');
    expect(deactivated).toHaveLength(15);
    expect(deactivated.every((a) => a.is_deactivated === true)).toBe(true);
    const activeAvailable = await listAll('is_deactivated=false&availability_status=AVAILABLE');
    const expected = sandbox.dataset.agents.filter((a) => !a.is_deactivated && a.availability_status === 'AVAILABLE');
    expect(activeAvailable).toEqual(expected);
  });

  it('answers 404 AGENT_NOT_FOUND when an agent filter matches nothing', async () => {
    const res = await get(sandbox, '/agents?is_deactivated=true&availability_status=AVAILABLE');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, status: 'AGENT_NOT_FOUND', message: 'No agents found' });
    expect((await get(sandbox, '/agents?groups=no-such-group')).status).toBe(404);
  });

  it.each(['is_deactivated=yes', 'availability_status=BUSY'])('answers 400 INVALID_VALUE to %s', async (query) => {
    const res = await get(sandbox, `/agents?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('INVALID_VALUE');
  });
});

describe('GET /agents/{id}', () => {
  it('answers the bare agent object', async () => {
    const agent = sandbox.dataset.agents[0]!;
    const res = await get<Freshchat.Agent>(sandbox, `/agents/${agent.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(agent);
    expect(res.body.role_id).toBe('ACCOUNT_ADMIN');
  });

  it('answers 404 AGENT_NOT_FOUND to an unknown id', async () => {
    const res = await get(sandbox, '/agents/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, status: 'AGENT_NOT_FOUND', message: expect.any(String) });
  });
});
