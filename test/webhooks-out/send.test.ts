import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSender, type Sender } from '../../src/webhooks-out/send.js';
import { newSigningSecret } from '../../src/webhooks-out/signature.js';
import { createUrlPolicy, type Resolve } from '../../src/webhooks-out/url-policy.js';
import { startReceiver, type Receiver } from './receiver.js';

// `rebound.example.com` passed registration as a public host; it now resolves to loopback, where the receiver is.
const resolve: Resolve = async (hostname) => {
  if (hostname === 'rebound.example.com' || hostname === 'receiver.test') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

let receiver: Receiver;
const secret = newSigningSecret();
const senders: Sender[] = [];
const LISTED = '127.0.0.1,receiver.test';
const sender = ({ allowedHosts, timeoutMs }: { allowedHosts: string | undefined; timeoutMs?: number } = { allowedHosts: LISTED }) => {
  const created = createSender({ policy: createUrlPolicy({ allowedHosts, production: false, resolve }), resolve, timeoutMs });
  senders.push(created);
  return created;
};
const delivery = { changeId: 'chg_abc', body: JSON.stringify({ type: 'helpdesk.change', timestamp: '2025-01-01T00:00:00.000Z', data: { id: 'chg_abc' } }) };

beforeAll(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  receiver.behave(() => 200);
  receiver.received.length = 0;
  await Promise.all(senders.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await receiver.close();
});

describe('sending a delivery', () => {
  it('POSTs the body as JSON with Standard Webhooks headers that the reference verifier accepts', async () => {
    expect(await sender().send({ url: `${receiver.url}/hooks/in?x=1`, secret }, delivery)).toEqual({ ok: true });
    const [request] = receiver.received;
    expect(request).toMatchObject({ path: '/hooks/in?x=1', body: delivery.body });
    expect(request!.headers).toMatchObject({ 'content-type': 'application/json', 'webhook-id': 'chg_abc', 'webhook-timestamp': expect.stringMatching(/^\d{10}$/) });
    const headers = request!.headers as Record<string, string>;
    expect(new Webhook(secret).verify(request!.body, headers)).toEqual(JSON.parse(delivery.body));
  });

  it.each([
    [500, 'HTTP 500'],
    [410, 'HTTP 410'],
    [302, 'HTTP 302 (redirects are not followed)'],
  ])('reports an answer %i as "%s", never the body the receiver sent', async (status, error) => {
    receiver.behave(() => ({ status, headers: { location: `${receiver.url}/elsewhere` }, body: 'secret stack trace from the receiver' }));
    expect(await sender().send({ url: `${receiver.url}/hook`, secret }, delivery)).toEqual({ ok: false, error });
    expect(receiver.received.map((r) => r.path)).toEqual(['/hook']);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    receiver.behave(() => 'hang');
    const started = Date.now();
    expect(await sender({ allowedHosts: LISTED, timeoutMs: 300 }).send({ url: `${receiver.url}/hook`, secret }, delivery)).toEqual({ ok: false, error: 'no answer within 0.3 s' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a refused connection', async () => {
    const closed = await startReceiver();
    await closed.close();
    expect(await sender().send({ url: `${closed.url}/hook`, secret }, delivery)).toEqual({ ok: false, error: 'connection refused' });
  });

  it('refuses at connection time a name that resolves to a non-public address, before any byte is sent', async () => {
    const result = await sender({ allowedHosts: undefined }).send({ url: `http://rebound.example.com:${receiver.port}/hook`, secret }, delivery);
    expect(result).toEqual({ ok: false, error: 'refused: rebound.example.com resolves to 127.0.0.1, which is not a public address' });
    expect(receiver.received).toEqual([]);
  });

  it('connects to a name listed exactly in WEBHOOK_ALLOWED_HOSTS wherever it resolves', async () => {
    expect(await sender().send({ url: `http://receiver.test:${receiver.port}/hook`, secret }, delivery)).toEqual({ ok: true });
    expect(receiver.received).toHaveLength(1);
  });

  it('refuses a stored URL the settings no longer allow, without connecting', async () => {
    expect(await sender({ allowedHosts: undefined }).send({ url: `${receiver.url}/hook`, secret }, delivery)).toEqual({
      ok: false,
      error: 'refused: URL host 127.0.0.1 is not a public address',
    });
    expect(receiver.received).toEqual([]);
  });
});
