import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordChanges } from '../../src/sync/change-log.js';
import { change } from './fixtures.js';
import { startWebhooksApp, tenantToken, type WebhooksApp } from './app.js';
import { startReceiver, type Receiver } from './receiver.js';

let app: WebhooksApp;
let receiver: Receiver;

beforeAll(async () => {
  // The loop comes round once a minute: what is sent sooner was sent because something woke it.
  app = await startWebhooksApp({}, { pollMs: 60_000 });
  receiver = await startReceiver();
  await app.accounts.registry.store.insert({ id: 'acme', name: 'Acme', apiUrl: 'https://acme.freshchat.com/v2', tenant: 't-acme', token: 't' });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

const create = (body: unknown) => app.call('POST', '/admin/webhook-endpoints', { body });
const until = async (check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('the operator\'s endpoint API', () => {
  it('creates an endpoint and shows its secret once', async () => {
    const created = await create({ url: `${receiver.url}/hooks`, types: ['FreshchatTicketingUser'], accountIds: ['acme'], description: 'roster sync' });
    expect(created).toEqual({
      status: 201,
      body: {
        endpoint: {
          id: expect.stringMatching(/^ep_[a-z2-7]{20}$/),
          url: `${receiver.url}/hooks`,
          description: 'roster sync',
          accountIds: ['acme'],
          types: ['FreshchatTicketingUser'],
          tenant: null,
          createdAt: expect.any(String),
        },
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      },
    });
    const { id } = created.body.endpoint!;
    const secret = created.body.secret!;
    expect(await app.call('GET', `/admin/webhook-endpoints/${id}`)).toEqual({ status: 200, body: { endpoint: created.body.endpoint } });
    const listed = await app.call('GET', '/admin/webhook-endpoints');
    expect(listed.body.endpoints).toContainEqual(created.body.endpoint);
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));
    // Sealed at rest: neither the secret nor its key bytes are in the row.
    const rows = await app.accounts.registry.db.query<Record<string, unknown>>('select * from webhook_endpoints where id = $1', [id]);
    const stored = JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
    expect(stored).not.toContain(secret.slice(6));
    expect(app.logs()).not.toContain(secret.slice(6));
  });

  it('sends every change recorded after its creation, signed with that secret, and lists the delivery', async () => {
    const created = await create({ url: `${receiver.url}/signed` });
    const { id } = created.body.endpoint!;
    const [recorded] = await recordChanges(app.accounts.registry.db, [change({ accountId: 'acme', kind: 'DELETED', objectType: 'FreshchatGroup', objectId: 'g-1', changedFields: [] })]);
    app.webhooks.worker.wake();
    await receiver.waitFor(1);
    const request = receiver.received.find((r) => r.path === '/signed')!;
    const payload = new Webhook(created.body.secret!).verify(request.body, request.headers as Record<string, string>);
    expect(payload).toEqual({
      type: 'helpdesk.change',
      timestamp: recorded!.recordedAt.toISOString(),
      data: {
        id: recorded!.id,
        accountId: 'acme',
        kind: 'DELETED',
        objectType: 'FreshchatGroup',
        objectId: 'g-1',
        changedFields: [],
        occurredAt: '2025-01-02T03:04:05.000Z',
        recordedAt: recorded!.recordedAt.toISOString(),
        source: 'POLL',
      },
    });
    expect(request.headers['webhook-id']).toBe(recorded!.id);
    await until(async () => (await app.call('GET', `/admin/webhook-endpoints/${id}/deliveries`)).body.deliveries?.[0]?.status === 'delivered');
    expect(await app.call('GET', `/admin/webhook-endpoints/${id}/deliveries`)).toEqual({
      status: 200,
      body: {
        deliveries: [expect.objectContaining({ endpointId: id, changeId: recorded!.id, status: 'delivered', attempts: 1, lastError: null, nextAttemptAt: null })],
        nextCursor: null,
      },
    });
  });

  it('answers a retry with 202 and sends the delivery again at once', async () => {
    receiver.behave((r) => (r.path === '/retried' ? 500 : 200));
    const created = await create({ url: `${receiver.url}/retried` });
    const { id } = created.body.endpoint!;
    await recordChanges(app.accounts.registry.db, [change()]);
    app.webhooks.worker.wake();
    const failedOnce = async () => (await app.call('GET', `/admin/webhook-endpoints/${id}/deliveries`)).body.deliveries?.[0]?.attempts === 1;
    await until(failedOnce);
    receiver.behave(() => 200);
    const [delivery] = (await app.call('GET', `/admin/webhook-endpoints/${id}/deliveries`)).body.deliveries!;
    // Its own retry is seconds away (WEBHOOK_RETRY_BASE_MS) and the loop's next round a minute.
    expect(Date.parse(delivery!.nextAttemptAt!) - Date.now()).toBeGreaterThan(1_000);
    const sent = receiver.received.filter((r) => r.path === '/retried').length;
    const retried = await app.call('POST', `/admin/webhook-endpoints/${id}/deliveries/${delivery!.id}/retry`);
    expect(retried).toEqual({ status: 202, body: { delivery: expect.objectContaining({ id: delivery!.id, changeId: delivery!.changeId }) } });
    await until(async () => receiver.received.filter((r) => r.path === '/retried').length > sent, 1_000);
    await until(async () => (await app.call('GET', `/admin/webhook-endpoints/${id}/deliveries`)).body.deliveries?.[0]?.status === 'delivered');
  });

  it('deletes an endpoint, after which it is unknown', async () => {
    const { id } = (await create({ url: `${receiver.url}/deleted` })).body.endpoint!;
    expect(await app.call('DELETE', `/admin/webhook-endpoints/${id}`)).toEqual({ status: 204, body: {} });
    for (const [method, path] of [['GET', ''], ['DELETE', ''], ['GET', '/deliveries'], ['POST', '/deliveries/dlv_x/retry']] as const) {
      expect(await app.call(method, `/admin/webhook-endpoints/${id}${path}`)).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: `no webhook endpoint ${id}` } } });
    }
  });

  it('answers 404 for a delivery the endpoint does not have', async () => {
    const { id } = (await create({ url: `${receiver.url}/none` })).body.endpoint!;
    expect(await app.call('POST', `/admin/webhook-endpoints/${id}/deliveries/dlv_unknown/retry`)).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  it.each([
    [{ url: 'http://10.0.0.1/hook' }, 'url', 'WEBHOOK_ALLOWED_HOSTS'],
    [{ url: 'not a url' }, 'url', 'absolute http(s) URL'],
    [{ url: 'http://127.0.0.1/hook', accountIds: ['nobody'] }, 'accountIds', 'no account nobody'],
    [{ url: 'http://127.0.0.1/hook', accountIds: [] }, undefined, 'must not be empty'],
    [{ url: 'http://127.0.0.1/hook', types: ['HelpdeskUser'] }, undefined, 'concrete typenames'],
    [{ url: 'http://127.0.0.1/hook', secret: 'whsec_mine' }, undefined, 'secret'],
    [{}, undefined, 'url'],
  ])('refuses %j with a 400 naming the problem', async (body, field, message) => {
    const refused = await create(body);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining(message), ...(field ? { field } : {}) });
  });

  it('refuses a body that is not JSON, and a bad deliveries query', async () => {
    expect(await create('{')).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT', message: 'body is not valid JSON' } } });
    const { id } = (await create({ url: `${receiver.url}/q` })).body.endpoint!;
    expect(await app.call('GET', `/admin/webhook-endpoints/${id}/deliveries?limit=500`)).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
    expect(await app.call('GET', `/admin/webhook-endpoints/${id}/deliveries?cursor=abc`)).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
  });

  it('answers 401 without the admin token', async () => {
    expect(await app.call('GET', '/admin/webhook-endpoints', { token: null })).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(await app.call('POST', '/admin/webhook-endpoints', { token: 'wrong', body: { url: `${receiver.url}/x` } })).toMatchObject({ status: 401 });
  });

  it('has no tenant path when caller JWTs are not configured', async () => {
    expect((await app.call('GET', '/webhook-endpoints', { token: await tenantToken('t-acme') })).status).toBe(404);
  });
});

describe('the endpoint API without the settings it needs', () => {
  it('is absent (404) without ADMIN_TOKEN', async () => {
    const bare = await startWebhooksApp({ ADMIN_TOKEN: undefined });
    try {
      expect((await bare.call('GET', '/admin/webhook-endpoints')).status).toBe(404);
    } finally {
      await bare.close();
    }
  }, 90_000);

  it('refuses to create an endpoint without CREDENTIALS_KEY (503)', async () => {
    const keyless = await startWebhooksApp({ CREDENTIALS_KEY: undefined });
    try {
      expect(await keyless.call('POST', '/admin/webhook-endpoints', { body: { url: 'http://127.0.0.1/hook' } })).toMatchObject({
        status: 503,
        body: { error: { code: 'CREDENTIALS_KEY_MISSING' } },
      });
    } finally {
      await keyless.close();
    }
  }, 90_000);
});
