import { afterEach, describe, expect, it } from 'vitest';
import { listMessages, readHistory, readLatest, type MessagePageFetcher } from '../../src/resources/messages.js';
import { JSON_HEADERS, createHarness, type Harness } from '../freshchat/harness.js';

const message = (id: string) => ({ id, message_parts: [{ text: { content: id } }] });

describe('readHistory (newest first, `link` while more follow, no total)', () => {
  let h: Harness;
  afterEach(async () => {
    h.mock.assertNoPendingInterceptors();
    await h.mock.close();
  });

  const pagesOf = (id: string): MessagePageFetcher => (query, page) => listMessages(h.client, id, query, page);
  const reply = (query: Record<string, string>, body: unknown, status = 200) =>
    h.upstream.intercept({ path: '/v2/conversations/c1/messages', method: 'GET', query }).reply(status, JSON.stringify(body), { headers: JSON_HEADERS });

  it('follows link.href page by page and answers oldest first, a message shifted onto the next page kept once', async () => {
    h = createHarness();
    reply({ page: '1', items_per_page: '2' }, { messages: [message('m5'), message('m4')], link: { href: '/v2/conversations/c1/messages?page=2&items_per_page=2&from_time=T', rel: 'next' } });
    reply({ page: '2', items_per_page: '2', from_time: 'T' }, { messages: [message('m4'), message('m3')], link: { href: 'https://elsewhere.example/v2/x?page=3&items_per_page=2' } });
    reply({ page: '3', items_per_page: '2' }, { messages: [message('m1')] });
    const history = await readHistory(pagesOf('c1'), 2);
    expect(history.map((m) => m.id)).toEqual(['m1', 'm3', 'm4', 'm5']);
  });

  it('reads only the pages that hold the newest messages asked for', async () => {
    h = createHarness();
    reply({ page: '1', items_per_page: '2' }, { messages: [message('m5'), message('m4')], link: { href: '/v2/conversations/c1/messages?page=2&items_per_page=2' } });
    reply({ page: '2', items_per_page: '2' }, { messages: [message('m3'), message('m2')], link: { href: '/v2/conversations/c1/messages?page=3&items_per_page=2' } });
    expect((await readLatest(pagesOf('c1'), 2, 3)).map((m) => m.id)).toEqual(['m5', 'm4', 'm3']);
  });

  it('makes no call for a conversation id that cannot be a path segment', async () => {
    h = createHarness();
    expect(await readHistory(pagesOf('..'), 50)).toEqual([]);
  });

  it('stops on an empty page even when it names a next one', async () => {
    h = createHarness();
    reply({ page: '1', items_per_page: '50' }, { messages: [], link: { href: '/v2/conversations/c1/messages?page=2&items_per_page=50' } });
    expect(await readHistory(pagesOf('c1'), 50)).toEqual([]);
  });

  it('answers an empty history for a conversation Freshchat does not know', async () => {
    h = createHarness();
    reply({ page: '1', items_per_page: '50' }, { code: 404, status: 'NOT_FOUND', message: 'x' }, 404);
    expect(await readHistory(pagesOf('c1'), 50)).toEqual([]);
  });

  it('rejects a page without its messages array as a bad response', async () => {
    h = createHarness();
    reply({ page: '1', items_per_page: '50' }, { pagination: {} });
    await expect(readHistory(pagesOf('c1'), 50)).rejects.toMatchObject({ kind: 'BAD_RESPONSE' });
  });
});
