import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Freshchat from '../../src/resources/wire.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get } from './client.js';

let sandbox: Sandbox;
beforeAll(async () => void (sandbox = await startSandbox({ tokens: { 'agents-only': ['agent:read'] } })));
afterAll(() => sandbox.close());

describe('GET /v2/channels', () => {
  it('answers the list envelope, with pagination and links', async () => {
    const res = await get<Freshchat.ChannelList>(sandbox, '/channels?items_per_page=2');
    expect(res.status).toBe(200);
    expect(res.body.channels).toHaveLength(2);
    expect(res.body.pagination).toEqual({ total_items: 5, total_pages: 3, current_page: 1, items_per_page: 2 });
    expect(res.body.links?.next_page?.href).toBe('/v2/channels?items_per_page=2&page=2');
  });

  it('lists every channel a seeded conversation lives in', async () => {
    const channels = (await get<Freshchat.ChannelList>(sandbox, '/channels?items_per_page=50')).body.channels.map((c) => c.id);
    const used = new Set(sandbox.dataset.conversations.map((c) => c.channel_id));
    expect([...used].every((id) => id != null && channels.includes(id))).toBe(true);
    expect(used.size).toBe(3);
  });

  it('serves every field Freshchat documents for a channel', async () => {
    const [first] = (await get<Freshchat.ChannelList>(sandbox, '/channels')).body.channels;
    expect(first).toEqual({
      id: expect.any(String),
      name: 'Support',
      icon: { url: expect.stringMatching(/^https:\/\//) },
      tags: ['support'],
      public: true,
      enabled: true,
      source: 'WEBCHAT',
      locale: 'en',
      updated_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      welcome_message: { message_parts: [{ text: { content: expect.any(String) } }], message_type: 'normal' },
    });
  });

  it('filters by locale', async () => {
    const res = await get<Freshchat.ChannelList>(sandbox, '/channels?locale=de');
    expect(res.body.channels.map((c) => c.name)).toEqual(['Support DE']);
  });

  it('refuses a locale that is not an ISO-639 code (400 INVALID_VALUE)', async () => {
    const res = await get(sandbox, '/channels?locale=German');
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('INVALID_VALUE');
  });

  it('sorts by name when asked', async () => {
    const res = await get<Freshchat.ChannelList>(sandbox, '/channels?sort_by=name&sort_order=desc');
    expect(res.body.channels.map((c) => c.name)).toEqual(['Support DE', 'Support', 'Sales', 'Legacy support', 'Billing']);
  });

  it('serves any valid token, since there is no channel scope', async () => {
    expect((await get(sandbox, '/channels', 'agents-only')).status).toBe(200);
  });

  it('answers 400 WRONG_PAGE past the last page', async () => {
    expect((await get(sandbox, '/channels?page=2')).body.status).toBe('WRONG_PAGE');
  });
});
