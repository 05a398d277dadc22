import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseWebhookKey } from '../../src/accounts/webhook-keys.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createSandboxWebhooks } from '../../src/sandbox/webhooks.js';
import { signedBy } from '../../src/sync/webhooks-in.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A receiver on loopback that records what it gets and answers `status()`. */
async function startReceiver(status: () => number = () => 200): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

let sandbox: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startSandbox({ webhookUrl: receiver.url });
});
afterAll(async () => {
  await sandbox?.close();
  receiver?.server.close();
});
beforeEach(() => void receiver.received.splice(0));

const api = async (method: string, path: string, body?: unknown, token = sandbox.token) => {
  const base = path.startsWith('/sandbox/') ? new URL(sandbox.baseUrl).origin : sandbox.baseUrl;
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>) };
};
const events = () => receiver.received.map((r) => JSON.parse(r.body.toString()) as { action: string; action_time: string; data: Record<string, unknown> });

describe("the sandbox's webhooks", () => {
  it('announce a message as message_create, signed with the key it shows as Freshchat does (one line)', async () => {
    const conversation = sandbox.dataset.conversations[0]!;
    const sent = await api('POST', `/conversations/${conversation.conversation_id}/messages`, {
      message_parts: [{ text: { content: 'Hello' } }],
      actor_type: 'user',
      actor_id: conversation.user_id,
    });
    await sandbox.webhooks.flush();
    expect(sandbox.webhooks.publicKey).toMatch(/^-----BEGIN RSA PUBLIC KEY----- MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\S+ -----END RSA PUBLIC KEY-----$/);
    const [delivery] = receiver.received;
    expect(delivery!.headers['x-retry-count']).toBe('0');
    expect(signedBy(parseWebhookKey(sandbox.webhooks.publicKey)!, delivery!.body, delivery!.headers['x-freshchat-signature'] as string)).toBe(true);
    expect(events()).toEqual([
      { actor: { actor_type: 'user', actor_id: conversation.user_id }, action: 'message_create', action_time: sent.body!.created_time, data: { message: sent.body } },
    ]);
  });

  it('announce an assignment, a resolution and a reopen of a conversation', async () => {
    const conversation = sandbox.dataset.conversations.find((c) => c.status !== 'resolved')!;
    const agent = sandbox.dataset.agents.find((a) => !a.is_deactivated && a.id !== conversation.assigned_agent_id)!;
    await api('PUT', `/conversations/${conversation.conversation_id}`, { assigned_agent_id: agent.id, status: 'assigned' });
    await api('PUT', `/conversations/${conversation.conversation_id}`, { status: 'resolved' });
    await api('PUT', `/conversations/${conversation.conversation_id}`, { status: 'reopened' });
    await sandbox.webhooks.flush();
    expect(events().map((e) => e.action)).toEqual(['conversation_assignment', 'conversation_resolution', 'conversation_reopen']);
    expect(events()[0]!.data.assignment).toMatchObject({ to_agent_id: agent.id, conversation: { conversation_id: conversation.conversation_id } });
  });

  it('retry a delivery the receiver refuses, counting in X-Retry-Count', async () => {
    let answers = [500, 503, 200];
    const flaky = await startReceiver(() => answers.shift() ?? 200);
    try {
      const hooks = createSandboxWebhooks({ url: flaky.url, retryDelayMs: 1 });
      hooks.announce({ actor: { actor_type: 'agent', actor_id: 'a' }, action: 'conversation_resolution', action_time: '2025-01-01T00:00:00.000Z', data: {} });
      await hooks.flush();
      expect(flaky.received.map((r) => r.headers['x-retry-count'])).toEqual(['0', '1', '2']);
      expect(hooks.deliveries).toEqual([{ action: 'conversation_resolution', status: 200, attempts: 3 }]);
      answers = [];
    } finally {
      flaky.server.close();
    }
  });
});

describe("the sandbox's admin endpoints (what Freshchat's UI changes)", () => {
  it('add, change and remove an agent in the lists Freshchat serves', async () => {
    const group = sandbox.dataset.groups[0]!;
    const created = await api('POST', '/sandbox/agents', { email: 'nia@support.example.com', first_name: 'Nia', groups: [group.id] });
    expect(created.status).toBe(201);
    const id = created.body!.id as string;
    expect((await api('GET', `/agents/${id}`)).body).toMatchObject({ first_name: 'Nia', groups: [group.id], is_deactivated: false });
    expect((await api('PATCH', `/sandbox/agents/${id}`, { is_deactivated: true })).status).toBe(200);
    expect((await api('GET', `/agents/${id}`)).body).toMatchObject({ is_deactivated: true });
    expect((await api('DELETE', `/sandbox/agents/${id}`)).status).toBe(204);
    expect((await api('GET', `/agents/${id}`)).status).toBe(404);
  });

  it('add, rename and remove a group, taking it off its members', async () => {
    const created = await api('POST', '/sandbox/groups', { name: 'Night shift' });
    const id = created.body!.id as string;
    const agent = sandbox.dataset.agents[0]!;
    await api('PATCH', `/sandbox/agents/${agent.id}`, { groups: [...(agent.groups ?? []), id] });
    await api('PATCH', `/sandbox/groups/${id}`, { name: 'Night shift EU' });
    expect(sandbox.dataset.groups.find((g) => g.id === id)?.name).toBe('Night shift EU');
    await api('DELETE', `/sandbox/groups/${id}`);
    expect(sandbox.dataset.groups.some((g) => g.id === id)).toBe(false);
    expect(agent.groups).not.toContain(id);
  });

  it('show and change where webhooks go', async () => {
    expect((await api('GET', '/sandbox/webhooks')).body).toMatchObject({ publicKey: sandbox.webhooks.publicKey, url: receiver.url });
    expect((await api('PUT', '/sandbox/webhooks', { url: 'not a url' })).status).toBe(400);
  });

  it.each([
    ['no token', () => api('GET', '/sandbox/webhooks', undefined, 'wrong'), 401],
    ['an unknown agent', () => api('PATCH', '/sandbox/agents/nobody', { first_name: 'x' }), 404],
    ['a group id that does not exist', () => api('PATCH', `/sandbox/agents/${sandbox.dataset.agents[1]!.id}`, { groups: ['nope'] }), 400],
    ['an unknown endpoint', () => api('GET', '/sandbox/roles'), 404],
  ])('refuse %s', async (_case, call, status) => {
    expect((await call()).status).toBe(status);
  });
});
