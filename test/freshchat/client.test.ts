import { afterEach, describe, expect, it } from 'vitest';
import { toPathSegment } from '../../src/freshchat/client.js';
import {
  JSON_HEADERS,
  agent,
  agentList,
  createHarness,
  errorBody,
  failureOf,
  groupList,
  groupPage,
  pageOf,
  page,
  settle,
  TOKEN,
  user,
  userList,
  userPage,
} from './harness.js';
import type { Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await settle(harness);
  harness = undefined;
});

describe('Freshchat client: requests', () => {
  it('sends the bearer token and asks for JSON', async () => {
    harness = createHarness();
    harness.upstream
      .intercept({ path: '/v2/accounts/configuration', headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/json' } })
      .reply(200, { account_id: 7, datacenter: 'US' }, { headers: JSON_HEADERS });
    await expect(harness.api.getAccountConfiguration()).resolves.toEqual({ account_id: 7, datacenter: 'US' });
  });

  it('percent-encodes a non-UUID id in the path', async () => {
    harness = createHarness();
    harness.upstream
      .intercept({ path: '/v2/users/Denise%2Falias%3Fx%20y%23z' })
      .reply(200, user, { headers: JSON_HEADERS });
    await expect(harness.api.getUser('Denise/alias?x y#z')).resolves.toEqual(user);
  });

  it.each(['', '.', '..'])('answers null for the id %j, which no path can carry, without calling Freshchat', async (id) => {
    harness = createHarness();
    await expect(harness.api.getAgent(id)).resolves.toBeNull();
    expect(toPathSegment(id)).toBeUndefined();
    expect(harness.attempts).toEqual([]);
  });

  it('serialises agent filters and the page in sorted order, booleans as true/false', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: (path) => path.startsWith('/v2/agents?') }).reply(200, agentList, { headers: JSON_HEADERS });
    await harness.api.listAgents({ is_deactivated: false, groups: 'g1', availability_status: undefined }, { page: 2, items_per_page: 50 });
    expect(harness.mock.getCallHistory()?.lastCall()?.fullUrl).toBe(
      `${harness.options.account.baseUrl}/agents?groups=g1&is_deactivated=false&items_per_page=50&page=2`,
    );
  });

  it('adds the mandatory created_from filter when users are listed without one', async () => {
    harness = createHarness();
    harness.upstream
      .intercept({ path: '/v2/users', query: { created_from: '1970-01-01T00:00:00.000Z', items_per_page: '20', page: '1' } })
      .reply(200, userList, { headers: JSON_HEADERS });
    await expect(harness.api.listUsers({}, page)).resolves.toEqual(userPage);
  });

  it('sends only the caller’s filter when users are listed with one', async () => {
    harness = createHarness();
    harness.upstream
      .intercept({ path: '/v2/users', query: { email: 'a+b@example.com', items_per_page: '20', page: '1' } })
      .reply(200, userList, { headers: JSON_HEADERS });
    await expect(harness.api.listUsers({ email: 'a+b@example.com', created_to: undefined }, page)).resolves.toEqual(userPage);
  });

  it('lists groups and roles with the page parameters', async () => {
    harness = createHarness();
    const roleList = { roles: [{ id: 'ACCOUNT_ADMIN', name: 'Account Admin' }], pagination: groupList.pagination };
    harness.upstream.intercept({ path: '/v2/groups', query: { page: '1', items_per_page: '20' } }).reply(200, groupList, { headers: JSON_HEADERS });
    harness.upstream.intercept({ path: '/v2/roles', query: { page: '1', items_per_page: '20' } }).reply(201, roleList, { headers: JSON_HEADERS });
    await expect(harness.api.listGroups(page)).resolves.toEqual(groupPage);
    await expect(harness.api.listRoles(page)).resolves.toEqual(pageOf(roleList.roles));
  });

  it('reports each attempt without the token or the query string', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/users', query: { email: 'x@example.com', items_per_page: '20', page: '1' } }).reply(503, '');
    harness.upstream.intercept({ path: '/v2/users', query: { email: 'x@example.com', items_per_page: '20', page: '1' } }).reply(200, userList, { headers: JSON_HEADERS });
    await harness.api.listUsers({ email: 'x@example.com' }, page);
    expect(harness.attempts).toMatchObject([
      { method: 'GET', path: '/users', status: 503, attempt: 1, error: 'UNAVAILABLE' },
      { method: 'GET', path: '/users', status: 200, attempt: 2 },
    ]);
    expect(harness.attempts[1]).not.toHaveProperty('error');
    expect(JSON.stringify(harness.attempts)).not.toContain(TOKEN);
  });
});

describe('Freshchat client: statuses', () => {
  it('throws UNAUTHENTICATED on 401 without retrying', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/agents/a1' }).reply(401, errorBody(401, 'UNAUTHORIZED'), { headers: JSON_HEADERS });
    const error = await failureOf(harness.api.getAgent('a1'));
    expect(error).toMatchObject({ kind: 'UNAUTHENTICATED', status: 401, upstreamStatus: 'UNAUTHORIZED' });
    expect(harness.attempts).toHaveLength(1);
  });

  it('throws FORBIDDEN on 403 (token lacks a scope)', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/roles', query: { page: '1', items_per_page: '20' } }).reply(403, errorBody(403, 'FORBIDDEN'), { headers: JSON_HEADERS });
    await expect(failureOf(harness.api.listRoles(page))).resolves.toMatchObject({ kind: 'FORBIDDEN', status: 403 });
  });

  it('answers null when getAgent gets 404', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/agents/missing' }).reply(404, errorBody(404, 'AGENT_NOT_FOUND'), { headers: JSON_HEADERS });
    await expect(harness.api.getAgent('missing')).resolves.toBeNull();
  });

  it('answers null when getUser gets 404 with no body', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/users/missing' }).reply(404, '');
    await expect(harness.api.getUser('missing')).resolves.toBeNull();
  });

  it('answers an empty page when a filtered agent list gets 404', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/agents', query: { groups: 'g9', page: '3', items_per_page: '10' } }).reply(404, errorBody(404, 'AGENT_NOT_FOUND'), { headers: JSON_HEADERS });
    await expect(harness.api.listAgents({ groups: 'g9' }, { page: 3, items_per_page: 10 })).resolves.toEqual({
      items: [],
      total: 0,
      page: 3,
      perPage: 10,
      next: null,
    });
  });

  it('throws NOT_FOUND when an unfiltered agent list gets 404', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/agents', query: { page: '1', items_per_page: '20' } }).reply(404, '');
    await expect(failureOf(harness.api.listAgents({}, page))).resolves.toMatchObject({ kind: 'NOT_FOUND', status: 404 });
  });

  it.each([400, 404])('throws PAGE_OUT_OF_RANGE on %i WRONG_PAGE, even for a filtered agent list', async (status) => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/agents', query: { is_deactivated: 'true', page: '9', items_per_page: '20' } }).reply(status, errorBody(status, 'WRONG_PAGE'), { headers: JSON_HEADERS });
    const error = await failureOf(harness.api.listAgents({ is_deactivated: true }, { page: 9, items_per_page: 20 }));
    expect(error).toMatchObject({ kind: 'PAGE_OUT_OF_RANGE', status, upstreamStatus: 'WRONG_PAGE' });
  });

  it('throws BAD_REQUEST on 400, keeping the upstream key but not the upstream message', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/groups', query: { page: '1', items_per_page: '20' } }).reply(400, errorBody(400, 'INVALID_VALUE', 'IMAGE_EMPTY_CONTENT'), { headers: JSON_HEADERS });
    const error = await failureOf(harness.api.listGroups(page));
    expect(error).toMatchObject({ kind: 'BAD_REQUEST', status: 400, upstreamStatus: 'INVALID_VALUE' });
    expect(error.message).not.toContain('IMAGE_EMPTY_CONTENT');
    expect(harness.attempts).toHaveLength(1);
  });

  it('drops an upstream status key that is not an UPPER_SNAKE key', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/agents/a1' }).reply(400, { status: 'see <b>this</b>' }, { headers: JSON_HEADERS });
    await expect(failureOf(harness.api.getAgent('a1'))).resolves.toMatchObject({ kind: 'BAD_REQUEST', upstreamStatus: undefined });
  });

  it('returns agent objects as sent', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: `/v2/agents/${agent.id}` }).reply(200, agent, { headers: JSON_HEADERS });
    await expect(harness.api.getAgent(agent.id)).resolves.toEqual(agent);
  });
});
