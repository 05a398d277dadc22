import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_SECRET, startWebhooksApp, tenantToken, type WebhooksApp } from './app.js';

let app: WebhooksApp;
let acme: string;
let globex: string;

beforeAll(async () => {
  app = await startWebhooksApp({ AUTH_JWT_SECRET: JWT_SECRET });
  const { store } = app.accounts.registry;
  await store.insert({ id: 'acme-eu', name: 'Acme EU', apiUrl: 'https://acme-eu.freshchat.com/v2', tenant: 'acme', token: 't' });
  await store.insert({ id: 'globex', name: 'Globex', apiUrl: 'https://globex.freshchat.com/v2', tenant: 'globex', token: 't' });
  [acme, globex] = await Promise.all([tenantToken('acme'), tenantToken('globex')]);
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const asTenant = (token: string, method: string, path = '', body?: unknown) => app.call(method, `/webhook-endpoints${path}`, { token, body });

describe('a tenant managing its own endpoints with its caller JWT', () => {
  it('creates an endpoint for its own accounts, owned by it, with the secret shown once', async () => {
    const created = await asTenant(acme, 'POST', '', { url: 'http://127.0.0.1:9/acme', accountIds: ['acme-eu'] });
    expect(created).toMatchObject({ status: 201, body: { endpoint: { tenant: 'acme', accountIds: ['acme-eu'] }, secret: expect.stringMatching(/^whsec_/) } });
    expect(await asTenant(acme, 'GET', `/${created.body.endpoint!.id}`)).toEqual({ status: 200, body: { endpoint: created.body.endpoint } });
  });

  it('cannot name another tenant\'s account, which reads like an unknown one', async () => {
    const refused = await asTenant(acme, 'POST', '', { url: 'http://127.0.0.1:9/x', accountIds: ['globex'] });
    const unknown = await asTenant(acme, 'POST', '', { url: 'http://127.0.0.1:9/x', accountIds: ['nobody'] });
    expect(refused).toEqual({ status: 400, body: { error: { code: 'BAD_USER_INPUT', message: 'accountIds: no account globex', field: 'accountIds' } } });
    expect(unknown.body.error?.message).toBe('accountIds: no account nobody');
  });

  it('sees only its own endpoints; another tenant\'s is answered like a missing one', async () => {
    const mine = (await asTenant(globex, 'POST', '', { url: 'http://127.0.0.1:9/globex' })).body.endpoint!;
    const operators = (await app.call('POST', '/admin/webhook-endpoints', { body: { url: 'http://127.0.0.1:9/operator' } })).body.endpoint!;
    const listed = (await asTenant(globex, 'GET')).body.endpoints!;
    expect(listed.map((e) => e.id)).toEqual([mine.id]);
    expect((await asTenant(acme, 'GET')).body.endpoints!.map((e) => e.tenant)).not.toContain('globex');
    for (const id of [mine.id, operators.id]) {
      const missing = { status: 404, body: { error: { code: 'NOT_FOUND', message: `no webhook endpoint ${id}` } } };
      if (id !== mine.id) expect(await asTenant(globex, 'GET', `/${id}`)).toEqual(missing);
      expect(await asTenant(acme, 'GET', `/${id}`)).toEqual(missing);
      expect(await asTenant(acme, 'GET', `/${id}/deliveries`)).toEqual(missing);
      expect(await asTenant(acme, 'DELETE', `/${id}`)).toEqual(missing);
    }
    // The operator sees every endpoint, whoever owns it.
    const all = (await app.call('GET', '/admin/webhook-endpoints')).body.endpoints!.map((e) => e.id);
    expect(all).toEqual(expect.arrayContaining([mine.id, operators.id]));
    expect(await asTenant(globex, 'DELETE', `/${mine.id}`)).toEqual({ status: 204, body: {} });
  });

  it('needs a valid caller JWT (401), naming a tenant (403)', async () => {
    expect(await app.call('GET', '/webhook-endpoints', { token: null })).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(await app.call('GET', '/webhook-endpoints', { token: 'not.a.jwt' })).toMatchObject({ status: 401 });
    expect(await app.call('GET', '/webhook-endpoints', { token: await tenantToken() })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  it('cannot use its JWT on the operator\'s admin API', async () => {
    expect((await app.call('GET', '/admin/webhook-endpoints', { token: acme })).status).toBe(401);
  });
});
