import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenQuota } from '../../src/sandbox/quota.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get } from './client.js';

describe('the per-token rate limit', () => {
  it('answers `perMinute` requests per window, then 429 with the seconds left in it', () => {
    let now = 0;
    const quota = createTokenQuota({ perMinute: 2 }, () => now);
    expect(quota.take('t').ok).toBe(true);
    now = 10_000;
    expect(quota.take('t').ok).toBe(true);
    now = 20_500;
    expect(quota.take('t')).toMatchObject({ ok: false, retryAfter: 40 });
    now = 60_000;
    expect(quota.take('t').ok).toBe(true); // a new window
  });

  it('counts each token on its own, and refused requests not at all', () => {
    const quota = createTokenQuota({ perMinute: 1 }, () => 0);
    quota.take('a');
    quota.take('a');
    expect(quota.take('a').ok).toBe(false);
    expect(quota.take('b').ok).toBe(true);
  });

  it('sends X-RateLimit-Total and -Remaining only when asked to', () => {
    expect(createTokenQuota({ perMinute: 5 }).take('t').headers).toEqual({});
    expect(createTokenQuota({ perMinute: 5, headers: true }).take('t').headers).toEqual({ 'X-RateLimit-Total': '5', 'X-RateLimit-Remaining': '4' });
  });
});

describe('a sandbox with a rate limit', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimit: { perMinute: 1 } });
  });
  afterAll(() => sandbox.close());

  it('answers 429 TOO_MANY_REQUESTS with Retry-After beyond it, and marks the call over quota', async () => {
    expect((await get(sandbox, '/agents')).status).toBe(200);
    const res = await get(sandbox, '/agents');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.body).toEqual({ code: 429, status: 'TOO_MANY_REQUESTS', message: expect.any(String) });
    expect(sandbox.calls.map((call) => call.overQuota)).toEqual([undefined, true]);
  });
});
