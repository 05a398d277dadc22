import { afterEach, describe, expect, it } from 'vitest';
import { toStatusError } from '../../src/freshchat/decode.js';
import { JSON_HEADERS, agentList, agentPage, createHarness, failureOf, page, pagination, settle } from './harness.js';
import type { Harness } from './harness.js';

const AGENTS = { path: '/v2/agents', query: { page: '1', items_per_page: '20' } };

let harness: Harness | undefined;
afterEach(async () => {
  await settle(harness);
  harness = undefined;
});

describe('response decoding', () => {
  it('rejects HTML answered with 200 (a portal host, not the API) as BAD_RESPONSE', async () => {
    harness = createHarness();
    harness.upstream.intercept(AGENTS).reply(200, '<!DOCTYPE html><html>Freshworks</html>', { headers: { 'content-type': 'text/html; charset=utf-8' } });
    const error = await failureOf(harness.api.listAgents({}, page));
    expect(error).toMatchObject({ kind: 'BAD_RESPONSE', status: undefined });
    expect(error.message).toContain('HTML');
    expect(harness.attempts).toHaveLength(1);
  });

  it('rejects HTML even when it claims to be JSON', async () => {
    harness = createHarness();
    harness.upstream.intercept(AGENTS).reply(200, '  <html><body>login</body></html>', { headers: JSON_HEADERS });
    await expect(failureOf(harness.api.listAgents({}, page))).resolves.toMatchObject({ kind: 'BAD_RESPONSE', message: expect.stringContaining('HTML') });
  });

  it('rejects a non-JSON content type', async () => {
    harness = createHarness();
    harness.upstream.intercept(AGENTS).reply(200, JSON.stringify(agentList), { headers: { 'content-type': 'text/plain' } });
    await expect(failureOf(harness.api.listAgents({}, page))).resolves.toMatchObject({
      kind: 'BAD_RESPONSE',
      message: 'Freshchat answered with content type text/plain, not JSON',
    });
  });

  it('rejects an answer without a content type', async () => {
    harness = createHarness();
    harness.upstream.intercept(AGENTS).reply(200, JSON.stringify(agentList));
    await expect(failureOf(harness.api.listAgents({}, page))).resolves.toMatchObject({ kind: 'BAD_RESPONSE' });
  });

  it('accepts a +json media type', async () => {
    harness = createHarness();
    harness.upstream.intercept(AGENTS).reply(200, agentList, { headers: { 'content-type': 'application/vnd.freshchat+json' } });
    await expect(harness.api.listAgents({}, page)).resolves.toEqual(agentPage);
  });

  it('rejects invalid or truncated JSON without quoting it', async () => {
    harness = createHarness();
    harness.upstream.intercept(AGENTS).reply(200, '{"agents":[{"id":"secret-ish', { headers: JSON_HEADERS });
    const error = await failureOf(harness.api.listAgents({}, page));
    expect(error).toMatchObject({ kind: 'BAD_RESPONSE', message: 'Freshchat sent invalid or truncated JSON' });
    expect(error.cause).toBeUndefined();
  });

  it.each([
    ['a missing pagination', { agents: [] }, 'pagination'],
    ['a missing resource array', { pagination }, 'agents'],
    ['an agent without a string id', { agents: [{ id: 42 }], pagination }, 'agents.0.id'],
    ['a non-numeric total', { agents: [], pagination: { ...pagination, total_items: '1' } }, 'pagination.total_items'],
    ['an array instead of an envelope', [], ''],
  ])('rejects an agent list with %s as BAD_RESPONSE', async (_, body, at) => {
    harness = createHarness();
    harness.upstream.intercept(AGENTS).reply(200, body, { headers: JSON_HEADERS });
    const error = await failureOf(harness.api.listAgents({}, page));
    expect(error.kind).toBe('BAD_RESPONSE');
    expect(error.message).toContain(at === '' ? 'unexpected shape' : `(at ${at})`);
  });

  it('keeps the fields of an item it does not check', async () => {
    harness = createHarness();
    const raw = { ...agentList.agents[0], extra: { nested: true } };
    harness.upstream.intercept(AGENTS).reply(200, { ...agentList, agents: [raw], extra: true }, { headers: JSON_HEADERS });
    await expect(harness.api.listAgents({}, page)).resolves.toMatchObject({ items: [raw] });
  });

  it('names the next page when the pagination says there is one', async () => {
    harness = createHarness();
    const pagination2 = { total_items: 45, total_pages: 3, current_page: 2, items_per_page: 20 };
    harness.upstream.intercept(AGENTS).reply(200, { agents: [], pagination: pagination2 }, { headers: JSON_HEADERS });
    await expect(harness.api.listAgents({}, page)).resolves.toMatchObject({ total: 45, page: 2, perPage: 20, next: { page: 3, items_per_page: 20 } });
  });

  it('rejects a single agent without an id', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/agents/a1' }).reply(200, { first_name: 'x' }, { headers: JSON_HEADERS });
    await expect(failureOf(harness.api.getAgent('a1'))).resolves.toMatchObject({ kind: 'BAD_RESPONSE' });
  });

  it.each([[[]], [null], ['"text"']])('rejects an account configuration of %j', async (body) => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/accounts/configuration' }).reply(200, JSON.stringify(body), { headers: JSON_HEADERS });
    await expect(failureOf(harness.api.getAccountConfiguration())).resolves.toMatchObject({ kind: 'BAD_RESPONSE' });
  });

  it('rejects a status other than 200/201 that carries no data', async () => {
    harness = createHarness();
    harness.upstream.intercept(AGENTS).reply(202, { code: 202, status: 'ACCEPTED', message: 'x' }, { headers: JSON_HEADERS });
    await expect(failureOf(harness.api.listAgents({}, page))).resolves.toMatchObject({ kind: 'BAD_RESPONSE', status: 202 });
  });
});

describe('toStatusError', () => {
  it.each([
    [401, undefined, 'UNAUTHENTICATED'],
    [403, undefined, 'FORBIDDEN'],
    [404, 'AGENT_NOT_FOUND', 'NOT_FOUND'],
    [404, 'WRONG_PAGE', 'PAGE_OUT_OF_RANGE'],
    [400, 'WRONG_PAGE', 'PAGE_OUT_OF_RANGE'],
    [400, 'INVALID_VALUE', 'BAD_REQUEST'],
    [409, undefined, 'BAD_REQUEST'],
    [422, 'WRONG_PAGE', 'BAD_REQUEST'],
    [429, undefined, 'RATE_LIMITED'],
    [500, undefined, 'UNAVAILABLE'],
    [502, undefined, 'UNAVAILABLE'],
    [503, undefined, 'UNAVAILABLE'],
    [504, undefined, 'UNAVAILABLE'],
    [302, undefined, 'BAD_RESPONSE'],
    [204, undefined, 'BAD_RESPONSE'],
  ])('maps %i (%s) to %s', (status, upstreamStatus, kind) => {
    expect(toStatusError(status, upstreamStatus)).toMatchObject({ kind, status, upstreamStatus });
  });
});
