import { describe, expect, it } from 'vitest';
import { FreshchatError } from '../../src/errors.js';
import { pageDecoder } from '../../src/freshchat/page.js';

const asked = { page: 1, items_per_page: 50 };
const messages = pageDecoder<{ id: string }>('messages', 'a message list', 'link');
const agents = pageDecoder<{ id: string }>('agents', 'an agent list');

describe('normalised pages', () => {
  it('takes total, page, size and the next page from a pagination envelope', () => {
    const body = { agents: [{ id: 'a' }], pagination: { total_items: 120, total_pages: 3, current_page: 2, items_per_page: 50 } };
    expect(agents(body, asked)).toEqual({ items: [{ id: 'a' }], total: 120, page: 2, perPage: 50, next: { page: 3, items_per_page: 50 } });
  });

  it('has no next page on the last numbered page', () => {
    const body = { agents: [], pagination: { total_items: 100, total_pages: 2, current_page: 2, items_per_page: 50 } };
    expect(agents(body, asked).next).toBeNull();
  });

  it('has no total for a link-paged list, and the next page is the link’s query', () => {
    const body = { messages: [{ id: 'm' }], link: { href: '/v2/conversations/7/messages?page=2&items_per_page=50&from_time=2024-01-01T00%3A00%3A00.000Z', rel: 'next' } };
    expect(messages(body, asked)).toEqual({
      items: [{ id: 'm' }],
      total: null,
      page: 1,
      perPage: 50,
      next: { page: '2', items_per_page: '50', from_time: '2024-01-01T00:00:00.000Z' },
    });
  });

  it('keeps only the query of an absolute link, never its host or path', () => {
    const body = { messages: [], link: { href: 'https://elsewhere.example/steal?page=2' } };
    expect(messages(body, asked).next).toEqual({ page: '2' });
  });

  it.each([null, undefined])('ends a link-paged list when the link is %s', (link) => {
    expect(messages({ messages: [], link }, asked).next).toBeNull();
  });

  it('refuses a numbered list without its pagination as BAD_RESPONSE', () => {
    expect(() => agents({ agents: [] }, asked)).toThrow(FreshchatError);
  });
});
