import { afterEach, describe, expect, it } from 'vitest';
import { readHistory } from '../../src/freshchat/messages.js';
import { JSON_HEADERS, createHarness, type Harness } from './harness.js';

const message = (id: string) => ({ id, message_parts: [{ text: { content: id } }] });

describe('readHistory (research A.4: newest first, `link` while more follow, no total)', () => {
  let h: Harness;
  afterEach(async () => {
    h.mock.assertNoPendingInterceptors();
    await h.mock.close();
  });

  const reply = (query: Record<string, string>, body: unknown, status = 200) =>
    h.upstream.intercept({ path: '/v2/conversations/c1/messages', method: 'GET', query }).reply(status, JSON.stringify(body), { headers: JSON_HEADERS });

  it('follows link.href page by page and answers oldest first, a message shifted onto the next page kept once', async () => {
    h = createHarness();
    reply({ page: '1', items_per_page: '2' }, { messages: [message('m5'), message('m4')], link: { href: '/v2/conversations/c1/messages?page=2&items_per_page=2&from_time=T', rel: 'next' } });
    reply({ page: '2', items_per_page: '2', from_time: 'T' }, { messages: [message('m4'), message('m3')], link: { href: 'https://elsewhere.example/v2/x?page=3&items_per_page=2' } });
    reply({ page: '3', items_per_page: '2' }, { messages: [message('m1')] });
    const history = await readHistory(h.client, 'c1', 2);
    expect(history.map((m) => m.id)).toEqual(['m1', 'm3', 'm4', 'm5']);
  });

  it('stops on an empty page even when it names a next one', async () => {
    h = createHarness();
    reply({ page: '1', items_per_page: '50' }, { messages: [], link: { href: '/v2/conversations/c1/messages?page=2&items_per_page=50' } });
    expect(await readHistory(h.client, 'c1', 50)).toEqual([]);
  });

  it('answers an empty history for a conversation Freshchat does not know', async () => {
    h = createHarness();
    reply({ page: '1', items_per_page: '50' }, { code: 404, status: 'NOT_FOUND', message: 'x' }, 404);
    expect(await readHistory(h.client, 'c1', 50)).toEqual([]);
  });

  it('rejects a page without its messages array as a bad response', async () => {
    h = createHarness();
    reply({ page: '1', items_per_page: '50' }, { pagination: {} });
    await expect(readHistory(h.client, 'c1', 50)).rejects.toMatchObject({ kind: 'BAD_RESPONSE' });
  });
});
