import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get } from './client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterEach(() => {
  sandbox.clearFaults();
  sandbox.resetCalls();
});
afterAll(async () => {
  await sandbox.close();
});

const raw = (path: string, init: RequestInit = {}) =>
  fetch(`${sandbox.baseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${sandbox.token}` } });

describe('status faults', () => {
  it('answers 429 TOO_MANY_REQUESTS with Retry-After', async () => {
    sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 3 } });
    const res = await get(sandbox, '/agents');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.body).toEqual({ code: 429, status: 'TOO_MANY_REQUESTS', message: expect.any(String) });
  });

  it.each([
    [500, 'INTERNAL_SERVER_ERROR'],
    [503, 'SERVICE_UNAVAILABLE'],
    [502, 'BAD_GATEWAY'],
  ])('answers %i with status key %s and extra headers', async (status, key) => {
    sandbox.inject({ fault: { kind: 'status', status, headers: { 'X-Extra': 'yes' } } });
    const res = await get(sandbox, '/groups');
    expect([res.status, res.body.status, res.headers.get('x-extra')]).toEqual([status, key, 'yes']);
  });
});

describe('transport faults', () => {
  it('answers 200 text/html for the html fault, which is not JSON', async () => {
    sandbox.inject({ fault: { kind: 'html' } });
    const res = await raw('/agents');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('never answers a hanging request (the client times out) and logs it with status 0', async () => {
    sandbox.inject({ fault: { kind: 'hang' } });
    await expect(raw('/agents', { signal: AbortSignal.timeout(150) })).rejects.toThrow(/aborted|timeout/i);
    expect(sandbox.calls.map((c) => c.status)).toEqual([0]);
  });

  it('resets the connection mid-body', async () => {
    sandbox.inject({ fault: { kind: 'reset' } });
    await expect(raw('/agents').then((res) => res.json())).rejects.toThrow();
  });

  it('sends a complete 200 whose JSON body is truncated', async () => {
    sandbox.inject({ fault: { kind: 'truncated' } });
    const res = await raw('/agents');
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  // A lower bound only: a busy machine can make the answer later, never earlier.
  it('delays the normal answer by the latency', async () => {
    sandbox.inject({ fault: { kind: 'latency', ms: 120 } });
    const started = performance.now();
    const res = await get(sandbox, '/roles');
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(res.status).toBe(200);
  });
});

describe('fault rules', () => {
  it('applies a fault only `times` times, then answers normally', async () => {
    sandbox.inject({ fault: { kind: 'status', status: 503 }, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get(sandbox, '/groups')).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
  });

  it('matches a string as a path prefix, a RegExp, or a predicate', async () => {
    sandbox.inject({ fault: { kind: 'status', status: 500 }, match: '/v2/agents' });
    sandbox.inject({ fault: { kind: 'status', status: 502 }, match: /^\/v2\/users\/[^/]+$/ });
    sandbox.inject({ fault: { kind: 'status', status: 504 }, match: (path) => path.endsWith('/roles') });
    const status = async (path: string) => (await get(sandbox, path)).status;
    expect(await status('/agents/x')).toBe(500);
    expect(await status('/users/x')).toBe(502);
    expect(await status('/roles')).toBe(504);
    expect(await status('/groups')).toBe(200);
  });

  it('lets the first applicable rule win, and skips exhausted ones', async () => {
    sandbox.inject({ fault: { kind: 'status', status: 500 }, times: 1 });
    sandbox.inject({ fault: { kind: 'status', status: 503 } });
    expect((await get(sandbox, '/groups')).status).toBe(500);
    expect((await get(sandbox, '/groups')).status).toBe(503);
  });

  it('stops applying a removed rule, and clearFaults removes all', async () => {
    const rule = sandbox.inject({ fault: { kind: 'status', status: 500 } });
    rule.remove();
    expect((await get(sandbox, '/groups')).status).toBe(200);
    sandbox.inject({ fault: { kind: 'status', status: 500 } });
    sandbox.clearFaults();
    expect((await get(sandbox, '/groups')).status).toBe(200);
  });

  it('reproduces the same probabilistic faults for the same faultSeed', async () => {
    const pattern = async (faultSeed: number) => {
      const own = await startSandbox({ faultSeed });
      own.inject({ fault: { kind: 'status', status: 503 }, probability: 0.5 });
      const statuses = [];
      for (let i = 0; i < 16; i += 1) statuses.push((await get(own, '/groups')).status);
      await own.close();
      return statuses;
    };
    const first = await pattern(42);
    expect(await pattern(42)).toEqual(first);
    expect(first).toContain(200);
    expect(first).toContain(503);
    expect(await pattern(43)).not.toEqual(first);
  });

  it('draws the faults of one request alike however other requests interleave with it', async () => {
    const groupsPattern = async (interleave: boolean) => {
      const own = await startSandbox({ faultSeed: 42 });
      own.inject({ fault: { kind: 'status', status: 503 }, probability: 0.5 });
      const statuses = [];
      for (let i = 0; i < 16; i += 1) {
        if (interleave) await get(own, `/agents?page=${i}`);
        statuses.push((await get(own, '/groups')).status);
      }
      await own.close();
      return statuses;
    };
    expect(await groupsPattern(true)).toEqual(await groupsPattern(false));
  });
});

describe('call log', () => {
  it('records method, path, query, status and arrival time of every request', async () => {
    const before = Date.now();
    sandbox.inject({ fault: { kind: 'status', status: 429 }, match: '/v2/roles' });
    await get(sandbox, '/agents?items_per_page=5&page=2');
    await get(sandbox, '/roles');
    await get(sandbox, '/agents', 'wrong');
    expect(sandbox.calls).toEqual([
      { method: 'GET', path: '/v2/agents', query: { items_per_page: '5', page: '2' }, status: 200, at: expect.any(Number) },
      { method: 'GET', path: '/v2/roles', query: {}, status: 429, at: expect.any(Number) },
      { method: 'GET', path: '/v2/agents', query: {}, status: 401, at: expect.any(Number) },
    ]);
    expect(sandbox.calls[0]!.at).toBeGreaterThanOrEqual(before);
    sandbox.resetCalls();
    expect(sandbox.calls).toEqual([]);
  });
});

describe('close()', () => {
  it('ends a hanging request and resolves', async () => {
    const own = await startSandbox();
    own.inject({ fault: { kind: 'hang' } });
    const pending = fetch(`${own.baseUrl}/agents`, { headers: { Authorization: `Bearer ${own.token}` } });
    await expect.poll(() => own.calls.length).toBe(1);
    await own.close();
    await expect(pending).rejects.toThrow();
  });

  // Waiting for the 60 s latency would run past this test's timeout: no clock is read here.
  it('ends a request delayed by latency without waiting for it', async () => {
    const own = await startSandbox();
    own.inject({ fault: { kind: 'latency', ms: 60_000 } });
    const pending = fetch(`${own.baseUrl}/agents`, { headers: { Authorization: `Bearer ${own.token}` } });
    await expect.poll(() => own.calls.length).toBe(1);
    await own.close();
    await expect(pending).rejects.toThrow();
  });
});
