import { toQueryString } from '../freshchat/request.js';
import type * as Freshchat from '../freshchat/types.js';
import type { FetchedPage, PageRequest } from '../relay/pages.js';

/**
 * Reads a whole list: page 1 at `pageSize`, then every remaining page at once, at the page size
 * Freshchat reported (it may clamp what we asked for).
 */
export async function walkAll<T>(fetchPage: (request: PageRequest) => Promise<FetchedPage<T>>, pageSize: number): Promise<T[]> {
  const first = await fetchPage({ page: 1, perPage: pageSize });
  const pageCount = Math.ceil(first.total / Math.max(1, first.perPage));
  const rest = await Promise.all(
    Array.from({ length: Math.max(0, pageCount - 1) }, (_, i) => fetchPage({ page: i + 2, perPage: first.perPage })),
  );
  return [first, ...rest].flatMap((page) => page.items);
}

/** The queries of the paged lists that loaders read page by page. */
export type ListQuery = Freshchat.AgentListQuery | Freshchat.UserListQuery;

/**
 * A page's cache key: its query string as the client would send it (keys sorted, unset values left
 * out), so each distinct upstream GET is made at most once per request.
 */
export function pageKey(query: ListQuery, request: PageRequest): string {
  return toQueryString({ ...query, page: request.page, items_per_page: request.perPage });
}
