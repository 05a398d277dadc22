import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/relay/ids.js';
import { ACCOUNT_ID, startSyncHarness, type ChangeNode, type SyncHarness } from '../sync/harness.js';
import { SET_AVAILABILITY } from '../writes/operations.js';
import { until } from './processes.js';
import { startReceiver, type Receiver } from './receiver.js';

// The whole flow on the embedded default (PGlite, the sandbox): a product registers an endpoint, then
// learns every change, whichever way the subgraph learnt of it, as a signed delivery.
let h: SyncHarness;
let receiver: Receiver;
let secret: string;

beforeAll(async () => {
  h = await startSyncHarness({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  await h.tick(); // the poll baseline: no changes
  receiver = await startReceiver();
  const created = await h.admin('POST', '/admin/webhook-endpoints', { url: `${receiver.url}/product` });
  expect(created.status).toBe(201);
  secret = created.body.secret as string;
}, 90_000);
afterAll(async () => {
  await h?.close();
  await receiver?.close();
});

const gid = (typename: string, remoteId: string) => toGlobalId({ provider: 'freshchat', typename, accountId: ACCOUNT_ID, remoteId });

describe('a product that registered an endpoint', () => {
  it('receives each change of the feed once, signed, from writes, Freshchat\'s webhooks and polls alike', async () => {
    const agents = h.sandbox.dataset.agents.filter((a) => !a.is_deactivated);
    // A write through the subgraph.
    const written = agents[0]!;
    await h.query(SET_AVAILABILITY, { id: gid('FreshchatTicketingUser', written.id), availability: written.availability_status === 'AVAILABLE' ? 'UNAVAILABLE' : 'AVAILABLE' });
    // A contact's message sent to Freshchat directly, which Freshchat announces with a webhook.
    const ticket = h.sandbox.dataset.conversations.find((c) => c.status !== 'resolved')!;
    await fetch(`${h.sandbox.baseUrl}/conversations/${ticket.conversation_id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message_parts: [{ text: { content: 'Any news?' } }], actor_type: 'user', actor_id: ticket.user_id }),
    });
    await h.sandbox.webhooks.flush();
    // A contact created in Freshchat, which only a poll finds.
    await fetch(`${h.sandbox.baseUrl}/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ first_name: 'Ona', email: 'ona.e2e@example.com' }),
    });
    await h.tick();

    const feed = await h.changes();
    expect(new Set(feed.map((c) => c.source))).toEqual(new Set(['WRITE', 'WEBHOOK', 'POLL']));
    await until(() => new Set(receiver.received.map((r) => r.headers['webhook-id'])).size >= feed.length, 30_000, 'every change is delivered');
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a duplicate would arrive by now

    const delivered = receiver.received.map((r) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { data: ChangeNode & { accountId: string } });
    expect(delivered.map((d) => d.data).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      feed.map((change) => ({ ...change, accountId: ACCOUNT_ID })).sort((a, b) => a.id.localeCompare(b.id)),
    );
  }, 120_000);
});
