import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ADMIN_TOKEN, allowing, startAccountsApp, type AccountsApp, type AdminBody } from './app.js';

let sandbox: Sandbox;
let app: AccountsApp;
const configurationCalls = () => sandbox.calls.filter((c) => c.path === '/v2/accounts/configuration').length;

beforeAll(async () => {
  sandbox = await startSandbox({ token: 'sandbox-token-0123456789' });
  app = await startAccountsApp({ FRESHCHAT_ALLOWED_HOSTS: allowing(sandbox.baseUrl) });
});
afterAll(async () => {
  await app.close();
  await sandbox.close();
});
beforeEach(async () => {
  sandbox.resetCalls();
  await app.accounts.registry.db.query('delete from accounts');
});

const acme = () => ({ name: 'Acme', apiUrl: sandbox.baseUrl, apiToken: sandbox.token, tenant: 'tenant-acme' });

describe('POST /admin/rotate-key', () => {
  it('re-encrypts in the server and says how many tokens it moved: none when all are under CREDENTIALS_KEY already', async () => {
    await app.admin('POST', '/admin/accounts', acme());
    expect(await app.admin('POST', '/admin/rotate-key')).toMatchObject({ status: 200, body: { reencrypted: 0 } });
  });
});

describe('POST /admin/accounts', () => {
  it('validates the token with Freshchat, then stores and answers the account without its token', async () => {
    const { status, body } = await app.admin('POST', '/admin/accounts', acme());
    expect(status).toBe(201);
    expect(Object.keys(body!.account!).sort()).toEqual([
      'apiUrl', 'createdAt', 'id', 'lastErrorCode', 'lastValidatedAt', 'name', 'status', 'tenant', 'webhookPublicKeySet', 'webhookUrl',
    ]);
    expect(body!.account).toMatchObject({ name: 'Acme', apiUrl: sandbox.baseUrl, tenant: 'tenant-acme', status: 'active', lastErrorCode: null });
    expect(body!.account!.id).toMatch(/^acc_[a-z2-7]{16}$/);
    expect(JSON.stringify(body)).not.toContain(sandbox.token);
    expect(configurationCalls()).toBe(1);
  });

  it('stores nothing when Freshchat rejects the token (422 UNAUTHENTICATED)', async () => {
    const { status, body } = await app.admin('POST', '/admin/accounts', { ...acme(), apiToken: 'not-the-token' });
    expect(status).toBe(422);
    expect(body!.error).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await app.admin('GET', '/admin/accounts')).body).toEqual({ accounts: [] });
  });

  it.each([
    ['not JSON', '{"name":'],
    ['a missing name', { apiUrl: 'acme.freshchat.com', apiToken: 't' }],
    ['an empty token', { name: 'a', apiUrl: 'acme.freshchat.com', apiToken: ' ' }],
    ['an unknown field', { name: 'a', apiUrl: 'acme.freshchat.com', apiToken: 't', token: 'x' }],
    ['a malformed id', { name: 'a', apiUrl: 'acme.freshchat.com', apiToken: 't', id: 'a b' }],
    ['the id ..', { name: 'a', apiUrl: 'acme.freshchat.com', apiToken: 't', id: '..' }],
    ['a NUL byte in the name', { name: 'a\u0000b', apiUrl: 'acme.freshchat.com', apiToken: 't' }],
    ['a line break in the tenant', { name: 'a', apiUrl: 'acme.freshchat.com', apiToken: 't', tenant: 'a\nb' }],
    ['a token with CR/LF', { name: 'a', apiUrl: 'acme.freshchat.com', apiToken: 't\r\nx-injected: 1' }],
    ['an array', [1]],
  ])('answers 400 BAD_USER_INPUT to %s, with no upstream call', async (_case, body) => {
    const res = await app.admin('POST', '/admin/accounts', body);
    expect(res.status).toBe(400);
    expect(res.body!.error!.code).toBe('BAD_USER_INPUT');
    expect(configurationCalls()).toBe(0);
  });

  it('refuses a host outside FRESHCHAT_ALLOWED_HOSTS before calling it', async () => {
    const res = await app.admin('POST', '/admin/accounts', { ...acme(), apiUrl: sandbox.baseUrl.replace('127.0.0.1', '127.0.0.2') });
    expect(res.status).toBe(400);
    expect(res.body!.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'apiUrl' });
    expect(configurationCalls()).toBe(0);
  });

  it('keeps a given id, and refuses it a second time (409)', async () => {
    expect((await app.admin('POST', '/admin/accounts', { ...acme(), id: 'acme' })).body!.account!.id).toBe('acme');
    const again = await app.admin('POST', '/admin/accounts', { ...acme(), id: 'acme' });
    expect(again.status).toBe(409);
    expect(again.body!.error!.code).toBe('ACCOUNT_EXISTS');
  });

  it('never writes the token to a log line', async () => {
    await app.admin('POST', '/admin/accounts', acme());
    await app.admin('POST', '/admin/accounts', { ...acme(), apiToken: 'rejected-token-0123456789' });
    expect(app.logs()).toContain('account linked');
    expect(app.logs()).not.toContain(sandbox.token);
    expect(app.logs()).not.toContain('rejected-token-0123456789');
  });
});

describe('reading, changing and unlinking', () => {
  it('lists the accounts and reads one, 404 for an unknown id', async () => {
    const { account } = (await app.admin('POST', '/admin/accounts', acme())).body!;
    expect((await app.admin('GET', '/admin/accounts')).body).toEqual({ accounts: [account] });
    expect((await app.admin('GET', `/admin/accounts/${account!.id}`)).body).toEqual({ account });
    const unknown = await app.admin('GET', '/admin/accounts/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body!.error!.code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('renames without asking Freshchat', async () => {
    const { account } = (await app.admin('POST', '/admin/accounts', acme())).body!;
    sandbox.resetCalls();
    const res = await app.admin('PATCH', `/admin/accounts/${account!.id}`, { name: 'Acme Ltd' });
    expect(res.body!.account).toEqual({ ...account, name: 'Acme Ltd' });
    expect(configurationCalls()).toBe(0);
  });

  it('revalidates a new token, and keeps the old one when Freshchat rejects it', async () => {
    const { account } = (await app.admin('POST', '/admin/accounts', acme())).body!;
    const rejected = await app.admin('PATCH', `/admin/accounts/${account!.id}`, { apiToken: 'wrong-token' });
    expect(rejected.status).toBe(422);
    expect((await app.accounts.source.find(account!.id))?.token.reveal()).toBe(sandbox.token);
  });

  it('marks an invalid account active again when a new token is accepted', async () => {
    const { account } = (await app.admin('POST', '/admin/accounts', acme())).body!;
    await app.accounts.registry.store.setStatus(account!.id, 'invalid_credentials', 'UNAUTHENTICATED');
    const res = await app.admin('PATCH', `/admin/accounts/${account!.id}`, { apiToken: sandbox.token });
    expect(res.body!.account).toMatchObject({ status: 'active', lastErrorCode: null });
  });

  it('answers 400 to a PATCH that changes nothing', async () => {
    const { account } = (await app.admin('POST', '/admin/accounts', acme())).body!;
    expect((await app.admin('PATCH', `/admin/accounts/${account!.id}`, {})).status).toBe(400);
  });

  it('deletes an account (204); it is then unknown everywhere', async () => {
    const { account } = (await app.admin('POST', '/admin/accounts', acme())).body!;
    expect((await app.admin('DELETE', `/admin/accounts/${account!.id}`)).status).toBe(204);
    expect((await app.admin('GET', `/admin/accounts/${account!.id}`)).status).toBe(404);
    expect(await app.accounts.source.find(account!.id)).toBeNull();
    expect((await app.admin('DELETE', `/admin/accounts/${account!.id}`)).status).toBe(404);
  });
});

describe('account ids in admin paths', () => {
  /** The path as sent, byte for byte (fetch would resolve `..` and `.` before sending them). */
  function raw(method: string, path: string): Promise<{ status: number; body: AdminBody }> {
    return new Promise((resolve, reject) => {
      const { hostname, port } = new URL(app.url);
      const req = request({ hostname, port, path, method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as AdminBody }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it.each([
    ['..', '/admin/accounts/..'],
    ['.', '/admin/accounts/.'],
    ['a NUL byte', '/admin/accounts/acme%00'],
    ['65 characters', `/admin/accounts/${'a'.repeat(65)}`],
    ['a space', '/admin/accounts/a%20b'],
  ])('refuses %s with 400 BAD_USER_INPUT on GET, PATCH and DELETE', async (_case, path) => {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await raw(method, path);
      expect(res.status, method).toBe(400);
      expect(res.body.error).toEqual({ code: 'BAD_USER_INPUT', message: 'account id must match [A-Za-z0-9._-]{1,64} and not be . or ..' });
    }
  });

  it('refuses them without asking the registry (a closed one answers 503, a malformed id still 400)', async () => {
    const closed = await startAccountsApp();
    try {
      await closed.accounts.registry.close();
      expect((await closed.admin('GET', '/admin/accounts/acme')).status).toBe(503);
      expect((await closed.admin('GET', `/admin/accounts/${'a'.repeat(65)}`)).status).toBe(400);
    } finally {
      await closed.close();
    }
  });
});

describe('a malformed URL', () => {
  it.each([
    ['GET', '%'],
    ['GET', '%zz'],
    ['PATCH', '%E0%A4%A'],
    ['DELETE', 'acc_%C0'],
  ])('answers %s /admin/accounts/%s with a true 400 about the URL, not a body error', async (method, id) => {
    const res = await app.admin(method, `/admin/accounts/${id}`, method === 'PATCH' ? { name: 'x' } : undefined);
    expect(res).toEqual({ status: 400, body: { error: { code: 'BAD_REQUEST', message: 'The URL has a malformed percent-encoding.' } } });
  });

  it('still answers a body that is not JSON as one', async () => {
    const res = await fetch(`${app.url}/admin/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(await res.json()).toEqual({ error: { code: 'BAD_USER_INPUT', message: 'body is not valid JSON' } });
  });
});

describe('admin authentication', () => {
  it.each([
    ['no Authorization header', {}],
    ['another token', { authorization: `Bearer ${ADMIN_TOKEN}x` }],
    ['another scheme', { authorization: `Basic ${ADMIN_TOKEN}` }],
  ])('answers 401 with %s', async (_case, headers) => {
    const res = await fetch(`${app.url}/admin/accounts`, { headers });
    expect(res.status).toBe(401);
  });
});

describe('POST /admin/link-sessions', () => {
  it('answers an absolute URL on the request host and an ISO instant 30 minutes ahead', async () => {
    const before = Date.now();
    const { status, body } = await app.admin('POST', '/admin/link-sessions', { tenant: 't1', redirectUrl: 'https://app.example.com/done' });
    expect(status).toBe(201);
    expect(body!.url).toMatch(new RegExp(`^${app.url}/link/[A-Za-z0-9_-]{43}$`));
    const expires = Date.parse(body!.expiresAt!);
    expect(body!.expiresAt).toBe(new Date(expires).toISOString());
    expect(expires - before).toBeGreaterThanOrEqual(30 * 60 * 1000 - 1000);
    expect(expires - before).toBeLessThanOrEqual(30 * 60 * 1000 + 5000);
  });

  it('refuses a redirectUrl that is not an absolute http(s) URL', async () => {
    expect((await app.admin('POST', '/admin/link-sessions', { redirectUrl: 'javascript:alert(1)' })).status).toBe(400);
  });
});

describe('an admin API that is not configured', () => {
  it('answers 404 without ADMIN_TOKEN, as if it did not exist', async () => {
    const bare = await startAccountsApp({ ADMIN_TOKEN: '' });
    try {
      expect((await bare.admin('GET', '/admin/accounts')).status).toBe(404);
    } finally {
      await bare.close();
    }
  });

  it('refuses to link without CREDENTIALS_KEY, clearly and before calling Freshchat', async () => {
    const keyless = await startAccountsApp({ CREDENTIALS_KEY: '' });
    try {
      const res = await keyless.admin('POST', '/admin/accounts', acme());
      expect(res.status).toBe(503);
      expect(res.body!.error).toMatchObject({ code: 'CREDENTIALS_KEY_MISSING', message: expect.stringMatching(/^CREDENTIALS_KEY is not set/) });
      expect(configurationCalls()).toBe(0);
    } finally {
      await keyless.close();
    }
  });

  it('builds link URLs on PUBLIC_URL when it is set', async () => {
    const behindProxy = await startAccountsApp({ PUBLIC_URL: 'https://subgraph.example.com/' });
    try {
      expect((await behindProxy.admin('POST', '/admin/link-sessions', {})).body!.url).toMatch(/^https:\/\/subgraph\.example\.com\/link\//);
    } finally {
      await behindProxy.close();
    }
  });
});
