import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Freshchat from '../../src/resources/wire.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get } from './client.js';

let sandbox: Sandbox;
let strict: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ tokens: { 'sandbox-token': ['agent:read', 'user:read', 'role:read', 'account:read'], 'agents-only': ['agent:read'] } });
  strict = await startSandbox({ strictPageSize: true, maxPageSize: 10 });
});
afterAll(async () => {
  await Promise.all([sandbox.close(), strict.close()]);
});

describe('authentication', () => {
  it('answers 401 UNAUTHORIZED without an Authorization header', async () => {
    const res = await get(sandbox, '/groups', null);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 401, status: 'UNAUTHORIZED', message: expect.any(String) });
  });

  it('answers 401 UNAUTHORIZED to an unknown token, even on an unknown path', async () => {
    expect((await get(sandbox, '/groups', 'nope')).status).toBe(401);
    expect((await get(sandbox, '/nowhere', 'nope')).status).toBe(401);
  });

  it('answers 403 FORBIDDEN when the token lacks the scope of the endpoint', async () => {
    const res = await get(sandbox, '/users?email=a@b.c', 'agents-only');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 403, status: 'FORBIDDEN', message: expect.any(String) });
    expect((await get(sandbox, '/roles', 'agents-only')).status).toBe(403);
    expect((await get(sandbox, '/accounts/configuration', 'agents-only')).status).toBe(403);
  });

  it('serves groups to any valid token, since there is no group scope', async () => {
    expect((await get(sandbox, '/groups', 'agents-only')).status).toBe(200);
  });
});

describe('list envelope and pagination', () => {
  it('wraps a page in the resource key with pagination and links echoing the query', async () => {
    const res = await get<Freshchat.AgentList>(sandbox, '/agents?items_per_page=10&page=2&sort_order=asc');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-trace-id')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(res.headers.get('x-server-processing-time-ms')).toMatch(/^\d+$/);
    expect(res.body.agents.map((a) => a.id)).toEqual(sandbox.dataset.agents.slice(10, 20).map((a) => a.id));
    expect(res.body.pagination).toEqual({ total_items: 150, total_pages: 15, current_page: 2, items_per_page: 10 });
    const link = (page: number) => ({ href: `/v2/agents?items_per_page=10&page=${page}&sort_order=asc`, rel: 'agent', type: 'GET' });
    expect(res.body.links).toEqual({ first_page: link(1), last_page: link(15), previous_page: link(1), next_page: link(3) });
  });

  it('omits previous_page on page 1 and next_page on the last page', async () => {
    const first = await get<Freshchat.GroupList>(sandbox, '/groups?items_per_page=5');
    expect(first.body.links).not.toHaveProperty('previous_page');
    expect(first.body.links?.next_page?.href).toBe('/v2/groups?items_per_page=5&page=2');
    const last = await get<Freshchat.GroupList>(sandbox, '/groups?items_per_page=5&page=3');
    expect(last.body.groups).toHaveLength(2);
    expect(last.body.links).not.toHaveProperty('next_page');
    expect(last.body.links?.previous_page?.href).toBe('/v2/groups?items_per_page=5&page=2');
  });

  it('defaults to 20 items per page', async () => {
    const res = await get<Freshchat.AgentList>(sandbox, '/agents');
    expect(res.body.agents).toHaveLength(20);
    expect(res.body.pagination).toEqual({ total_items: 150, total_pages: 8, current_page: 1, items_per_page: 20 });
  });

  it('clamps items_per_page to 50 silently and reports the clamped size', async () => {
    const res = await get<Freshchat.AgentList>(sandbox, '/agents?items_per_page=100');
    expect(res.body.agents).toHaveLength(50);
    expect(res.body.pagination).toEqual({ total_items: 150, total_pages: 3, current_page: 1, items_per_page: 50 });
  });

  it('rejects an oversized items_per_page with 400 in strict mode', async () => {
    const res = await get(strict, '/groups?items_per_page=11');
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('INVALID_VALUE');
    expect((await get(strict, '/groups?items_per_page=10')).status).toBe(200);
  });

  it.each(['page=0', 'page=-1', 'page=1.5', 'page=x', 'items_per_page=0', 'items_per_page=abc', 'sort_order=up', 'sort_by=id'])(
    'answers 400 INVALID_VALUE to %s',
    async (query) => {
      const res = await get(sandbox, `/groups?${query}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 400, status: 'INVALID_VALUE', message: expect.any(String) });
    },
  );

  it('answers 400 WRONG_PAGE past the last page', async () => {
    const res = await get(sandbox, '/agents?items_per_page=50&page=4');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, status: 'WRONG_PAGE', message: 'The page does not exist in the search result' });
  });

  it('answers page 1 of an empty result with an empty 200 page', async () => {
    const res = await get<Freshchat.UserList>(sandbox, '/users?email=nobody@nowhere.invalid');
    expect(res.status).toBe(200);
    expect(res.body.users).toEqual([]);
    expect(res.body.pagination).toEqual({ total_items: 0, total_pages: 0, current_page: 1, items_per_page: 20 });
    expect(res.body.links).not.toHaveProperty('next_page');
    expect((await get(sandbox, '/users?email=nobody@nowhere.invalid&page=2')).body.status).toBe('WRONG_PAGE');
  });
});

describe('groups, roles and configuration', () => {
  it('lists the 12 groups in dataset order, or by name with sort_by=name', async () => {
    const plain = await get<Freshchat.GroupList>(sandbox, '/groups?items_per_page=50');
    expect(plain.body.groups).toEqual(sandbox.dataset.groups);
    const byName = await get<Freshchat.GroupList>(sandbox, '/groups?items_per_page=50&sort_by=name&sort_order=desc');
    const names = sandbox.dataset.groups.map((g) => g.name).sort((a, b) => b.localeCompare(a, 'en'));
    expect(byName.body.groups.map((g) => g.name)).toEqual(names);
  });

  it('lists the 6 roles, built-in ones first', async () => {
    const res = await get<Freshchat.RoleList>(sandbox, '/roles');
    expect(res.body.roles).toEqual(sandbox.dataset.roles);
    expect(res.body.roles[0]).toEqual({ id: 'ACCOUNT_ADMIN', name: 'Account Admin', is_custom_role: false, description: expect.any(String) });
    expect(res.body.pagination.total_items).toBe(6);
  });

  it('answers the bare account configuration', async () => {
    const res = await get<Freshchat.AccountConfiguration>(sandbox, '/accounts/configuration');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(sandbox.dataset.configuration);
  });
});

describe('unknown paths and methods', () => {
  it.each(['/nowhere', '/groups/x', '/accounts', '/agents/a/b'])('answers 404 NOT_FOUND to %s', async (path) => {
    const res = await get(sandbox, path);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, status: 'NOT_FOUND', message: expect.any(String) });
  });

  it('answers 404 NOT_FOUND outside /v2', async () => {
    const res = await fetch(sandbox.baseUrl.replace('/v2', '/v1/agents'), { headers: { Authorization: `Bearer ${sandbox.token}` } });
    expect(res.status).toBe(404);
  });

  it('answers 405 with a JSON error to a non-GET method', async () => {
    const res = await get(sandbox, '/agents', sandbox.token, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(res.body).toEqual({ code: 405, status: 'METHOD_NOT_ALLOWED', message: expect.any(String) });
  });
});
