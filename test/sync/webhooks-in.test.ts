import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, startSyncHarness, type SyncHarness } from './harness.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/webhooks/${name}.json`, import.meta.url));
const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
const signature = (body: Buffer, key: KeyObject) => sign('sha256', body, { key, padding: constants.RSA_PKCS1_PADDING }).toString('base64');

const freshchat = keyPair();
let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ env: { FRESHCHAT_WEBHOOK_PUBLIC_KEY: pem(freshchat.publicKey) }, webhooks: false });
}, 60_000);
afterAll(async () => h?.close());
beforeEach(async () => {
  await h.subgraph.sync.db.query('delete from changes');
});

async function post(body: Buffer, headers: Record<string, string> = {}, accountId = ACCOUNT_ID) {
  const res = await fetch(`${h.origin}/webhooks/freshchat/${accountId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const signed = (body: Buffer, key = freshchat.privateKey) => ({ 'x-freshchat-signature': signature(body, key) });
const recorded = async () => (await h.subgraph.sync.db.query<{ n: number }>('select count(*)::int as n from changes'))[0]!.n;

describe('POST /webhooks/freshchat/{accountId}', () => {
  it('records a signed event before answering 200, readable at once in the account\'s changes', async () => {
    const body = fixture('message-create');
    const answer = await post(body, signed(body));
    expect(answer).toEqual({ status: 200, body: { recorded: 2 } });
    const changes = await h.changes();
    expect(changes.map((c) => [c.kind, c.objectType, c.source, c.occurredAt, c.changedFields])).toEqual([
      ['CREATED', 'FreshchatComment', 'WEBHOOK', '2022-11-22T10:55:23.126Z', []],
      ['UPDATED', 'FreshchatTicket', 'WEBHOOK', '2022-11-22T10:55:23.126Z', ['comments']],
    ]);
  });

  it.each(['message-create', 'conversation-assignment', 'conversation-resolution', 'conversation-reopen'])(
    'answers a repeat of %s 200 and records it once',
    async (name) => {
      const body = fixture(name);
      const first = await post(body, signed(body));
      const again = await post(body, { ...signed(body), 'x-retry-count': '1' });
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(again.body).toEqual({ recorded: 0 });
      expect(await recorded()).toBe(first.body.recorded);
    },
  );

  it.each([
    ['a body changed after signing', (body: Buffer) => ({ body: Buffer.from(body.toString().replace('fixed', 'fixes')), headers: signed(body) })],
    ['the same JSON serialised again', (body: Buffer) => ({ body: Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1)), headers: signed(body) })],
    ['no signature', (body: Buffer) => ({ body, headers: {} })],
    ['a signature by another key', (body: Buffer) => ({ body, headers: signed(body, keyPair().privateKey) })],
  ])('refuses %s with 401 and records nothing', async (_case, make) => {
    const { body, headers } = make(fixture('message-create'));
    const answer = await post(body, headers);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect(await recorded()).toBe(0);
  });

  it('answers 404 for an unknown account before looking at size or signature', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 'a');
    expect((await post(big, {}, 'nobody')).status).toBe(404);
    expect((await post(fixture('message-create'), {}, 'nobody')).status).toBe(404);
  });

  it('refuses a body over 1 MB with 413, signed or not, and records nothing', async () => {
    const big = Buffer.from(JSON.stringify({ action: 'message_create', padding: 'x'.repeat(1024 * 1024) }));
    const answer = await post(big, signed(big));
    expect(answer.status).toBe(413);
    expect(await recorded()).toBe(0);
  });

  it('accepts an event it does not record (200, so Freshchat does not retry it)', async () => {
    const body = Buffer.from(JSON.stringify({ action: 'conversation_snooze', action_time: '2022-11-22T10:55:23.126Z', data: {} }));
    expect(await post(body, signed(body))).toEqual({ status: 200, body: { recorded: 0 } });
  });

  it('answers 400 to a signed body that is not JSON', async () => {
    const body = Buffer.from('{"action":');
    expect((await post(body, signed(body))).status).toBe(400);
  });
});

describe('a linked account\'s webhook key', () => {
  let accountId: string;
  beforeAll(async () => {
    const linked = await h.admin('POST', '/admin/accounts', { name: 'Globex', apiUrl: h.sandbox.baseUrl, apiToken: h.sandbox.token });
    expect(linked.status).toBe(201);
    accountId = (linked.body.account as { id: string }).id;
  });

  it('is unset at first: the admin API shows where to send webhooks, and they are refused', async () => {
    const { body } = await h.admin('GET', `/admin/accounts/${accountId}`);
    expect(body.account).toMatchObject({ webhookUrl: `${h.origin}/webhooks/freshchat/${accountId}`, webhookPublicKeySet: false });
    const event = fixture('conversation-resolution');
    expect((await post(event, signed(event), accountId)).status).toBe(401);
  });

  it('is set from the one-line form Freshchat shows, never echoed back, and then verifies its webhooks', async () => {
    const key = keyPair();
    const oneLine = `-----BEGIN RSA PUBLIC KEY----- ${pem(key.publicKey).replace(/-----[A-Z ]+-----|\s+/g, '')} -----END RSA PUBLIC KEY-----`;
    const patched = await h.admin('PATCH', `/admin/accounts/${accountId}`, { webhookPublicKey: oneLine });
    expect(patched.status).toBe(200);
    expect(patched.body.account).toMatchObject({ id: accountId, webhookPublicKeySet: true });
    expect(JSON.stringify(patched.body)).not.toContain(oneLine.slice(40, 80));
    const event = fixture('conversation-resolution');
    expect((await post(event, signed(event, key.privateKey), accountId)).status).toBe(200);
    expect(await h.changes(accountId)).toMatchObject([{ kind: 'UPDATED', objectType: 'FreshchatTicket', changedFields: ['status'] }]);
  });

  it('is refused with 400 when it does not parse, keeping the key set before', async () => {
    const patched = await h.admin('PATCH', `/admin/accounts/${accountId}`, { webhookPublicKey: '-----BEGIN RSA PUBLIC KEY----- bm90IGEga2V5 -----END RSA PUBLIC KEY-----' });
    expect(patched).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
    expect((await h.admin('GET', `/admin/accounts/${accountId}`)).body.account).toMatchObject({ webhookPublicKeySet: true });
  });

  it('is answered 404 for an account that is not linked', async () => {
    expect((await h.admin('PATCH', '/admin/accounts/nobody', { webhookPublicKey: pem(keyPair().publicKey) })).status).toBe(404);
  });
});
