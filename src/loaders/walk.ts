import type { FetchedPage, PageRequest } from './pages.js';

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
