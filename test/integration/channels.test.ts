import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => void (h = await startHarness()));
afterAll(() => h.close());

interface ChannelNode {
  id: string;
  remoteId: string;
  name: string;
  locale: string | null;
  enabled: boolean | null;
  isPublic: boolean | null;
  tags: string[];
  welcomeMessage: string | null;
}

const CHANNELS = '{ freshchat { channels { totalCount nodes { id remoteId name locale enabled isPublic tags welcomeMessage } } } }';

describe('freshchat { channels }', () => {
  it('lists the account channels in one Freshchat call', async () => {
    h.sandbox.resetCalls();
    const res = await h.query<{ freshchat: { channels: { totalCount: number; nodes: ChannelNode[] } } }>(CHANNELS);
    expect(res.errors).toBeUndefined();
    const { totalCount, nodes } = res.data!.freshchat.channels;
    expect(totalCount).toBe(5);
    expect(nodes[0]).toEqual({
      id: globalId('FreshchatChannel', h.sandbox.dataset.channels[0]!.id),
      remoteId: h.sandbox.dataset.channels[0]!.id,
      name: 'Support',
      locale: 'en',
      enabled: true,
      isPublic: true,
      tags: ['support'],
      welcomeMessage: 'Hi! Tell us what went wrong and we will help.',
    });
    expect(nodes.find((n) => n.name === 'Legacy support')).toMatchObject({ enabled: false, isPublic: false, welcomeMessage: null });
    expect(h.upstreamCalls('/v2/channels')).toBe(1);
  });

  it("joins a conversation to its channel through the same list, once per request", async () => {
    const conversation = h.sandbox.dataset.conversations[0]!;
    const channel = h.sandbox.dataset.channels.find((c) => c.id === conversation.channel_id)!;
    const ticket = globalId('FreshchatTicket', conversation.conversation_id);
    h.sandbox.resetCalls();
    const res = await h.query(`{ freshchat { a: ticket(id: "${ticket}") { ... on FreshchatTicket { channelId channel { name } } } b: ticket(id: "${ticket}") { ... on FreshchatTicket { channel { remoteId } } } channels(first: 1) { totalCount } } }`);
    expect(res.data).toEqual({ freshchat: { a: { channelId: channel.id, channel: { name: channel.name } }, b: { channel: { remoteId: channel.id } }, channels: { totalCount: 5 } } });
    expect(h.upstreamCalls('/v2/channels')).toBe(1);
  });

  it('refetches a channel by global id with node and _entities', async () => {
    const channel = h.sandbox.dataset.channels[3]!;
    const id = globalId('FreshchatChannel', channel.id);
    const res = await h.query(`{ freshchat { node(id: "${id}") { __typename ... on FreshchatChannel { name locale } } } _entities(representations: [{ __typename: "FreshchatChannel", id: "${id}" }]) { ... on FreshchatChannel { remoteId } } }`);
    expect(res.data).toEqual({ freshchat: { node: { __typename: 'FreshchatChannel', name: 'Support DE', locale: 'de' } }, _entities: [{ remoteId: channel.id }] });
  });

  it('gives freshchatCreateTicket a channelId that Freshchat accepts', async () => {
    const list = await h.query<{ freshchat: { channels: { nodes: ChannelNode[] } } }>(CHANNELS);
    const enabled = list.data!.freshchat.channels.nodes.find((n) => n.enabled)!;
    const contact = globalId('FreshchatUser', h.sandbox.dataset.users[5]!.id);
    const res = await h.query(
      'mutation Create($contact: ID!, $channel: String!) { freshchatCreateTicket(contactId: $contact, channelId: $channel, body: "Hello") { ticket { ... on FreshchatTicket { channel { name } } } userErrors { code } } }',
      { contact, channel: enabled.remoteId },
    );
    expect(res.data).toEqual({ freshchatCreateTicket: { ticket: { channel: { name: enabled.name } }, userErrors: [] } });
  });
});
