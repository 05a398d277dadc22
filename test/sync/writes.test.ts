import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/relay/ids.js';
import { ADA, CREATE_USER, DELETE_AGENT, DELETE_USER, SET_AVAILABILITY, UPDATE_USER, type UserPayload } from '../writes/operations.js';
import { ACCOUNT_ID, startSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
let seen = 0;

beforeAll(async () => {
  h = await startSyncHarness(); // the sandbox's webhooks come to this subgraph, signed with its own key
  await h.tick(); // the baseline
}, 60_000);
afterAll(async () => h?.close());
beforeEach(async () => {
  seen = (await h.changes()).length;
});

const gid = (typename: string, remoteId: string) => toGlobalId({ provider: 'freshchat', typename, accountId: ACCOUNT_ID, remoteId });
const remoteOf = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':').slice(4).join(':');
const newChanges = async () =>
  (await h.changes()).slice(seen).map((c) => [c.kind, c.objectType, remoteOf(c.objectId), [...c.changedFields].sort(), c.source]);
const activeAgent = (n: number) => h.sandbox.dataset.agents.filter((a) => !a.is_deactivated)[n]!;

/** Runs `write` while the sandbox holds its webhooks, as Freshchat delivers them after answering. */
async function written<T>(write: () => Promise<T>): Promise<T> {
  const held = h.sandbox.webhooks.hold();
  try {
    return await write();
  } finally {
    held.release();
  }
}

/** Whatever the sandbox's webhooks and the next poll would add, added. */
async function settle(): Promise<void> {
  await h.sandbox.webhooks.flush();
  await h.tick();
}

describe('writes through the subgraph', () => {
  it('record a contact created, updated and deleted at once (source WRITE), and the next poll adds nothing', async () => {
    const created = await h.query<{ freshchatCreateUser: UserPayload }>(CREATE_USER, { input: { ...ADA, email: 'ada.writes@example.com', externalId: 'crm-ada-writes' } });
    const contact = created.data!.freshchatCreateUser.user!;
    expect(await newChanges()).toEqual([['CREATED', 'FreshchatUser', contact.remoteId, [], 'WRITE']]);
    await h.query(UPDATE_USER, { id: contact.id, input: { lastName: 'King' } });
    await h.query(DELETE_USER, { id: contact.id });
    await settle();
    expect(await newChanges()).toEqual([
      ['CREATED', 'FreshchatUser', contact.remoteId, [], 'WRITE'],
      ['UPDATED', 'FreshchatUser', contact.remoteId, ['lastName', 'name'], 'WRITE'],
      ['DELETED', 'FreshchatUser', contact.remoteId, [], 'WRITE'],
    ]);
  });

  it('record an availability change once: the poll that sees it in Freshchat adds nothing', async () => {
    const agent = activeAgent(0);
    const next = agent.availability_status === 'AVAILABLE' ? 'UNAVAILABLE' : 'AVAILABLE';
    await h.query(SET_AVAILABILITY, { id: gid('FreshchatTicketingUser', agent.id), availability: next });
    await settle();
    expect(await newChanges()).toEqual([['UPDATED', 'FreshchatTicketingUser', agent.id, ['availability'], 'WRITE']]);
  });

  it('record an agent deletion once, though Freshchat deletes it later and the poll then finds it gone', async () => {
    const agent = activeAgent(1);
    await h.query(DELETE_AGENT, { id: gid('FreshchatTicketingUser', agent.id) });
    await settle();
    h.sandbox.completeDeletions();
    await settle();
    const changes = await newChanges();
    expect(changes.filter((c) => c[1] === 'FreshchatTicketingUser')).toEqual([['DELETED', 'FreshchatTicketingUser', agent.id, [], 'WRITE']]);
  });

  it('record nothing more when an idempotent mutation is replayed', async () => {
    const agent = activeAgent(2);
    const next = agent.availability_status === 'AVAILABLE' ? 'UNAVAILABLE' : 'AVAILABLE';
    const variables = { id: gid('FreshchatTicketingUser', agent.id), availability: next, key: 'sync-replay-1' };
    await h.query(SET_AVAILABILITY, variables);
    await h.query(SET_AVAILABILITY, variables);
    await h.query(SET_AVAILABILITY, variables);
    expect(await newChanges()).toHaveLength(1);
  });
});

describe('conversation writes and the webhooks Freshchat sends for them', () => {
  const conversation = () => h.sandbox.dataset.conversations.find((c) => c.status !== 'resolved')!;

  it('record a reply as the comment CREATED and its ticket UPDATED ["comments"], once, webhook or not', async () => {
    const ticket = conversation();
    const reply = await written(() =>
      h.query<{ freshchatReplyToTicket: { comment: { remoteId: string } } }>(
        `mutation($id: ID!, $agent: ID!) { freshchatReplyToTicket(id: $id, body: "On its way", agentId: $agent) { comment { remoteId } userErrors { code } } }`,
        { id: gid('FreshchatTicket', ticket.conversation_id), agent: gid('FreshchatTicketingUser', activeAgent(3).id) },
      ),
    );
    const messageId = reply.data!.freshchatReplyToTicket.comment.remoteId;
    await settle();
    expect(h.sandbox.webhooks.deliveries.at(-1)).toMatchObject({ action: 'message_create', status: 200 });
    expect(await newChanges()).toEqual([
      ['CREATED', 'FreshchatComment', `${ticket.conversation_id}/${messageId}`, [], 'WRITE'],
      ['UPDATED', 'FreshchatTicket', ticket.conversation_id, ['comments'], 'WRITE'],
    ]);
  });

  it('record a resolution once, though Freshchat also announces it', async () => {
    const ticket = conversation();
    await written(() =>
      h.query(`mutation($id: ID!) { freshchatUpdateTicket(id: $id, status: RESOLVED) { userErrors { code } } }`, { id: gid('FreshchatTicket', ticket.conversation_id) }),
    );
    await settle();
    expect(h.sandbox.webhooks.deliveries.at(-1)).toMatchObject({ action: 'conversation_resolution', status: 200 });
    expect(await newChanges()).toEqual([['UPDATED', 'FreshchatTicket', ticket.conversation_id, ['status'], 'WRITE']]);
  });

  it('record a new conversation once with its first message, though Freshchat announces the message', async () => {
    const contact = h.sandbox.dataset.users[3]!;
    const created = await written(() =>
      h.query<{ freshchatCreateTicket: { ticket: { remoteId: string } } }>(
        `mutation($contact: ID!, $channel: String!) { freshchatCreateTicket(contactId: $contact, channelId: $channel, body: "Hello") { ticket { remoteId } userErrors { code } } }`,
        { contact: gid('FreshchatUser', contact.id), channel: h.sandbox.dataset.channels[0]!.id },
      ),
    );
    const ticketId = created.data!.freshchatCreateTicket.ticket.remoteId;
    await settle();
    const [message] = h.sandbox.dataset.messages[ticketId]!;
    expect(await newChanges()).toEqual([
      ['CREATED', 'FreshchatTicket', ticketId, [], 'WRITE'],
      ['CREATED', 'FreshchatComment', `${ticketId}/${message!.id}`, [], 'WRITE'],
    ]);
  });

  it('leave what Freshchat announces of others\' writes to its webhooks (a contact\'s message)', async () => {
    const ticket = conversation();
    const res = await fetch(`${h.sandbox.baseUrl}/conversations/${ticket.conversation_id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message_parts: [{ text: { content: 'Any news?' } }], actor_type: 'user', actor_id: ticket.user_id }),
    });
    const message = (await res.json()) as { id: string; created_time: string };
    await settle();
    const changes = (await h.changes()).slice(seen);
    expect(changes.map((c) => [c.kind, c.objectType, remoteOf(c.objectId), c.source, c.occurredAt])).toEqual([
      ['CREATED', 'FreshchatComment', `${ticket.conversation_id}/${message.id}`, 'WEBHOOK', message.created_time],
      ['UPDATED', 'FreshchatTicket', ticket.conversation_id, 'WEBHOOK', message.created_time],
    ]);
  });
});
