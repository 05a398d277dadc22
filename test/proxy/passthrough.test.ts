import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { FAST_FAULT_ENV } from '../support/upstream-faults.js';
import { rawRequest } from './raw.js';

describe('the passthrough /proxy/freshchat/v2/...', () => {
  let h: Harness;
  beforeAll(async () => {
    // Quota, breakers and concurrency in front, as in production; a quota wide enough never to wait.
    h = await startHarness({ env: { ...FAST_FAULT_ENV, FRESHCHAT_RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.resetCalls();
    h.sandbox.clearFaults();
  });
  const proxy = (path: string, init: RequestInit = {}) => fetch(`${h.origin}/proxy/freshchat/v2${path}`, init);

  it("answers a GET with Freshchat's status, JSON body and headers as sent, the query forwarded", async () => {
    const res = await proxy('/agents?items_per_page=2&page=3');
    const direct = await fetch(`${h.sandbox.baseUrl}/agents?items_per_page=2&page=3`, { headers: { authorization: `Bearer ${h.sandbox.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-trace-id')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(await res.json()).toEqual(await direct.json());
    expect(h.sandbox.calls.filter((c) => c.method === 'GET').map((c) => c.query)).toEqual([{ items_per_page: '2', page: '3' }, { items_per_page: '2', page: '3' }]);
  });

  it("forwards Freshchat's error answers as they are (status and body)", async () => {
    const res = await proxy('/agents/no-such-agent');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 404, status: 'AGENT_NOT_FOUND', message: 'This agent does not exist' });
  });

  it('writes through: a POST creates a contact once, and a later GET reads it', async () => {
    const created = await proxy('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'proxied@example.com', first_name: 'Proxied', properties: [{ name: 'plan', value: 'pro' }] }),
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; email: string };
    expect(user.email).toBe('proxied@example.com');
    const read = await proxy(`/users/${user.id}`);
    expect(await read.json()).toMatchObject({ id: user.id, first_name: 'Proxied' });
    expect(h.sandbox.calls.map((c) => c.method)).toEqual(['POST', 'GET']);
  });

  it("passes the sandbox's own validation answer back (400) for a body it refuses", async () => {
    const res = await proxy('/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nope' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 400, status: 'INVALID_VALUE' });
  });

  it('retries a GET on 503 but never a POST', async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/users', times: 1 });
    const post = await proxy('/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"once@example.com"}' });
    expect(post.status).toBe(503);
    expect(await post.json()).toMatchObject({ code: 503, status: 'SERVICE_UNAVAILABLE' });
    h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/agents', times: 1 });
    const get = await proxy('/agents?items_per_page=1');
    expect(get.status).toBe(200);
    expect(h.sandbox.calls.map((c) => `${c.method} ${c.status}`)).toEqual(['POST 503', 'GET 503', 'GET 200']);
  });

  it.each([
    ['/proxy/freshchat/v2/../admin'],
    ['/proxy/freshchat/v2/users/../../v1/users'],
    ['/proxy/freshchat/v2/users/%2e%2e/agents'],
    ['/proxy/freshchat/v2/users/%2E%2E%2Fagents'],
    ['/proxy/freshchat/v2/users%2F..%2Fagents'],
    ['/proxy/freshchat/v2/users/%5c..%5cagents'],
    ['/proxy/freshchat/v2/users/%252e%252e'],
    ['/proxy/freshchat/v2//users'],
    ['/proxy/freshchat/v2/./users'],
    ['/proxy/freshchat/v1/users'],
    ['/proxy/freshchat/users'],
    ['/proxy/freshchat/v2/users\\..\\agents'],
  ])('refuses %s with 400 and no upstream call', async (path) => {
    const res = await rawRequest(h.origin, 'GET', path);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(h.sandbox.calls).toEqual([]);
  });

  it('refuses an account the caller cannot use with 404 and no upstream call', async () => {
    const res = await proxy('/agents', { headers: { 'x-freshchat-account-id': 'someone-else' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'ACCOUNT_NOT_FOUND', message: 'No Freshchat account "someone-else" is available to this caller.' } });
    expect(h.sandbox.calls).toEqual([]);
  });

  it('refuses a malformed x-freshchat-account-id with 400 and no lookup or upstream call', async () => {
    const res = await proxy('/agents', { headers: { 'x-freshchat-account-id': 'a'.repeat(65) } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'BAD_USER_INPUT', message: expect.stringMatching(/^The x-freshchat-account-id header is not an account id/) } });
    expect(h.sandbox.calls).toEqual([]);
  });

  it('uses the account named by x-freshchat-account-id', async () => {
    const res = await proxy('/roles', { headers: { 'x-freshchat-account-id': 'acme' } });
    expect(res.status).toBe(200);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await proxy('/users', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'email=x' });
    expect(res.status).toBe(415);
    expect(h.sandbox.calls).toEqual([]);
  });

  it('marks every answer nosniff, an HTML page Freshchat may send and our own refusals included', async () => {
    h.sandbox.inject({ fault: { kind: 'html' }, match: '/v2/accounts', times: 1 });
    const html = await proxy('/accounts/configuration');
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    const refused = await rawRequest(h.origin, 'GET', '/proxy/freshchat/v2/../admin');
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    expect((await proxy('/roles')).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("answers with this request's x-request-id, keeping Freshchat's as x-upstream-request-id", async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 404, headers: { 'X-Request-Id': 'freshchat-side-id' } }, match: '/v2/agents', times: 1 });
    const res = await proxy('/agents/gone', { headers: { 'x-request-id': 'caller-chosen-id' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('caller-chosen-id');
    expect(res.headers.get('x-upstream-request-id')).toBe('freshchat-side-id');
  });

  it('never hands the token back', async () => {
    const res = await proxy('/accounts/configuration');
    expect(JSON.stringify([...res.headers.entries()]) + (await res.text())).not.toContain(h.sandbox.token);
  });
});

describe('the passthrough when Freshchat throttles', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...FAST_FAULT_ENV, FRESHCHAT_RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(() => h.close());

  it("passes Freshchat's 429 on as sent, retry-after included, when its wait outlasts the deadline", async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 60 }, match: '/v2/roles' });
    const res = await fetch(`${h.origin}/proxy/freshchat/v2/roles`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await res.json()).toEqual({ code: 429, status: 'TOO_MANY_REQUESTS', message: 'Injected fault: Too Many Requests' });
    expect(h.sandbox.calls).toHaveLength(1);
  });
});

describe('the passthrough bounded like a GraphQL request', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        FRESHCHAT_RATE_LIMIT_PER_MINUTE: '100000',
        // Five attempts allowed, but a request may make two calls; a hang waits for its caller, not a timeout.
        UPSTREAM_MAX_ATTEMPTS: '5',
        MAX_UPSTREAM_CALLS_PER_REQUEST: '2',
        FRESHCHAT_BREAKER_FAILURES: '1000',
        REQUEST_DEADLINE_MS: '60000',
        UPSTREAM_HEADERS_TIMEOUT_MS: '60000',
      },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.resetCalls();
    h.sandbox.clearFaults();
  });
  const metrics = async () => (await fetch(`${h.origin}/metrics`)).text();

  it('stops retrying at the per-request call ceiling, and passes on what Freshchat last said', async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/agents' });
    const res = await fetch(`${h.origin}/proxy/freshchat/v2/agents`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 503, status: 'SERVICE_UNAVAILABLE' });
    expect(h.sandbox.calls).toHaveLength(2);
  });

  it('cancels the upstream call as soon as its caller disconnects', async () => {
    h.sandbox.inject({ fault: { kind: 'hang' }, match: '/v2/roles' });
    const caller = new AbortController();
    const pending = fetch(`${h.origin}/proxy/freshchat/v2/roles`, { signal: caller.signal }).catch(() => undefined);
    await vi.waitFor(() => expect(h.sandbox.calls).toHaveLength(1));
    caller.abort();
    await pending;
    // The attempt ends now, cut by the caller (not 60 s later by a timeout), and is not retried.
    await vi.waitFor(async () => expect(await metrics()).toContain('freshchat_upstream_requests_total{family="roles",status="ABORTED"} 1'), { timeout: 5_000 });
    expect(h.sandbox.calls).toHaveLength(1);
  });
});
