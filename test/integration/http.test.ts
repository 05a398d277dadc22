import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

describe('HTTP endpoints', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await startHarness();
    base = h.url.replace(/\/graphql$/, '');
  });
  afterAll(() => h.close());

  it('answers /health with 200 {"status":"ok"}', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /ready with 200 when Freshchat accepts the token', async () => {
    const res = await fetch(`${base}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', linkedAccounts: { linked: 0, invalidCredentials: 0 } });
  });

  it('answers /ready with 503 and a reason when Freshchat rejects the token', async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 401 }, match: '/v2/accounts', times: 1 });
    const res = await fetch(`${base}/ready`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; reason: string };
    expect(body.status).toBe('unavailable');
    expect(body.reason).toMatch(/401/);
  });

  it('answers an unknown path with a JSON 404', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      status: 'not found',
      endpoints: ['/graphql', '/proxy/freshchat/v2/...', '/health', '/ready', '/metrics', '/admin', '/link', '/webhooks/freshchat/{accountId}'],
    });
  });

  it('serves queries over GET as Apollo Server allows', async () => {
    const query = encodeURIComponent('{ freshchat { accountId } }');
    const res = await fetch(`${h.url}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { freshchat: { accountId: 'acme' } } });
  });
});
