import type * as Freshchat from '../resources/wire.js';
import { ApiError } from './http.js';

export interface PagingOptions {
  maxPageSize: number;
  /** Reject an oversized items_per_page with 400 instead of clamping it. */
  strictPageSize: boolean;
}

export interface PageRequest {
  page: number;
  itemsPerPage: number;
}

export const DEFAULT_PAGE_SIZE = 20;

export function invalidValue(message: string): ApiError {
  return new ApiError(400, 'INVALID_VALUE', message);
}

function positiveInt(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw invalidValue(`${name} must be a positive integer`);
  return Number(raw);
}

/**
 * Freshchat's documented maximum is 50 but clients send 100 or 9999 without errors (docs/freshchat-api.md#lists-and-pagination, docs/freshchat-api.md#the-page-size-is-clamped), so the
 * default is to clamp silently; pagination.items_per_page then reports the size actually used.
 */
export function parsePageRequest(query: URLSearchParams, options: PagingOptions): PageRequest {
  const page = positiveInt(query, 'page', 1);
  const asked = positiveInt(query, 'items_per_page', DEFAULT_PAGE_SIZE);
  if (asked > options.maxPageSize && options.strictPageSize) {
    throw invalidValue(`items_per_page must be at most ${options.maxPageSize}`);
  }
  return { page, itemsPerPage: Math.min(asked, options.maxPageSize) };
}

export function parseSortOrder(query: URLSearchParams): 'asc' | 'desc' {
  const raw = query.get('sort_order') ?? 'asc';
  if (raw !== 'asc' && raw !== 'desc') throw invalidValue('sort_order must be asc or desc');
  return raw;
}

/** A link echoes every query parameter of the request, with only `page` replaced (docs/freshchat-api.md#lists-and-pagination). */
function link(url: URL, rel: string, page: number): Freshchat.Link {
  const params = new URLSearchParams(url.search);
  params.set('page', String(page));
  return { href: `${url.pathname}?${params.toString()}`, rel, type: 'GET' };
}

/**
 * The list envelope: `{ <key>: [...], pagination, links }`. A page past the end is WRONG_PAGE (400,
 * the code is not established upstream, docs/freshchat-api.md#lists-and-pagination); page 1 of an empty result is an empty 200.
 */
export function toEnvelope<T>(key: string, rel: string, items: readonly T[], request: PageRequest, url: URL): Record<string, unknown> {
  const { page, itemsPerPage } = request;
  const totalPages = Math.ceil(items.length / itemsPerPage);
  if (page > Math.max(totalPages, 1)) {
    throw new ApiError(400, 'WRONG_PAGE', 'The page does not exist in the search result');
  }
  const pagination: Freshchat.Pagination = {
    total_items: items.length,
    total_pages: totalPages,
    current_page: page,
    items_per_page: itemsPerPage,
  };
  const links: Freshchat.Links = {
    first_page: link(url, rel, 1),
    last_page: link(url, rel, Math.max(totalPages, 1)),
    ...(page > 1 ? { previous_page: link(url, rel, page - 1) } : {}),
    ...(page < totalPages ? { next_page: link(url, rel, page + 1) } : {}),
  };
  const start = (page - 1) * itemsPerPage;
  return { [key]: items.slice(start, start + itemsPerPage), pagination, links };
}
