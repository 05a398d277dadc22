import DataLoader from 'dataloader';
import { FreshchatError } from '../errors.js';
import type { FreshchatClient } from '../freshchat/client.js';
import type { Page, PageQuery } from '../freshchat/page.js';
import { toQueryString, type Query } from '../freshchat/request.js';
import type { Slice } from '../relay/connection.js';
import { loadByIds } from './by-ids.js';
import type { CatalogCache, TotalsHint } from './catalog-cache.js';
import type { PageCache } from './page-cache.js';
import { loadWindow, type FetchedPage, type PageRequest, type WindowResult } from './pages.js';
import { walkAll } from './walk.js';

/** What every resource's loaders are built from: this request's client for one account, and shared state. */
export interface ResourceDeps {
  client: FreshchatClient;
  /**
   * The same account's client for work shared with other requests (catalog walks behind the catalog
   * cache): it stops at the deadline, never because this request's caller left.
   */
  shared: FreshchatClient;
  /** Largest items_per_page to ask for. */
  pageSize: number;
  totals: TotalsHint;
  catalogs: CatalogCache;
  /** Opt-in cache of list pages across requests (AGENT_PAGE_CACHE_TTL_MS); absent or off by default. */
  pages?: PageCache;
}

/** How one page-numbered Freshchat list and its by-id endpoint are read, and mapped to models. */
export interface PagedListSpec<R, T, F, Q extends Query> {
  /** Names the list in the totals hint. */
  name: string;
  /** The unified filter in Freshchat's query vocabulary. */
  toQuery(filter: F): Q;
  fetchPage(query: Q, page: PageQuery): Promise<Page<R>>;
  getOne(remoteId: string): Promise<R | null>;
  map(raw: R): T;
  /** The filter that lists everything (by-id walks and `all`). */
  unfiltered: F;
}

/** The per-request loaders of one paged list (docs/design.md#the-upstream-call-budget). */
export interface PagedList<T, F> {
  /** One item by Freshchat id: K ids in at most K calls, and never more than the list walk. */
  get(remoteId: string): Promise<T | null>;
  /** A connection window of the filtered list, from the fewest upstream pages. */
  window(filter: F, slice: Slice): Promise<WindowResult<T>>;
  /** The whole unfiltered list: one walk per request, sharing pages already read. */
  all(): Promise<T[]>;
  /** Read-after-write: what this request knows of one object becomes `item` (null: gone; undefined: unknown, read again). */
  prime(remoteId: string, item: T | null | undefined): void;
  /** Read-after-write: a write changed the list, so the pages this request read are stale. */
  forgetPages(): void;
}

/**
 * Every upstream page goes through one page loader keyed by the query string the client sends, so
 * each distinct GET is made at most once per request; every item a page returns primes `get`.
 */
export function createPagedList<R, T extends { remoteId: string }, F, Q extends Query>(
  spec: PagedListSpec<R, T, F, Q>,
  deps: ResourceDeps,
): PagedList<T, F> {
  // Shared state (page cache, totals hint) is keyed by the account's key, never its reusable id.
  const { key: accountKey } = deps.client.account;
  const requests = new Map<string, { query: Q; request: PageRequest }>();
  const pages = new DataLoader<string, FetchedPage<T>>((keys) =>
    Promise.all(keys.map((key) => fetchCounted(key, requests.get(key)!).catch(toError))),
  );
  const loadPage = (query: Q, request: PageRequest): Promise<FetchedPage<T>> => {
    const key = toQueryString({ ...query, page: request.page, items_per_page: request.perPage });
    if (!requests.has(key)) requests.set(key, { query, request });
    return pages.load(key);
  };
  const fetchMapped = async ({ query, request }: { query: Q; request: PageRequest }): Promise<FetchedPage<T>> => {
    const raw = counted(await spec.fetchPage(query, { page: request.page, items_per_page: request.perPage }));
    return { ...raw, items: raw.items.map(spec.map) };
  };
  async function fetchCounted(key: string, asked: { query: Q; request: PageRequest }): Promise<FetchedPage<T>> {
    const { query } = asked;
    const page = deps.pages ? await deps.pages.get(accountKey, spec.name, key, () => fetchMapped(asked)) : await fetchMapped(asked);
    deps.totals.set(accountKey, totalsKey(query), page.total);
    for (const item of page.items) byId.prime(item.remoteId, item);
    return page;
  }
  // The unfiltered list's total under the list's own name (by-id batches read it), a filtered one's
  // under its query: each plans its next window within the total it was last told.
  const totalsKey = (query: Q): string => (Object.keys(query).length === 0 ? spec.name : `${spec.name}?${toQueryString(query)}`);
  const unfiltered = (n: number) => loadPage(spec.toQuery(spec.unfiltered), { page: n, perPage: deps.pageSize });
  const byId = new DataLoader<string, T | null>((ids) =>
    loadByIds(ids, {
      getOne: async (id) => {
        const raw = await spec.getOne(id);
        return raw === null ? null : spec.map(raw);
      },
      page: unfiltered,
      remoteIdOf: (item) => item.remoteId,
      totalHint: () => deps.totals.get(accountKey, spec.name),
      pageSize: deps.pageSize,
    }),
  );
  let everything: Promise<T[]> | undefined;
  return {
    get: (remoteId) => byId.load(remoteId),
    window: (filter, slice) => {
      const query = spec.toQuery(filter);
      return loadWindow(slice, (request) => loadPage(query, request), deps.pageSize, deps.totals.get(accountKey, totalsKey(query)));
    },
    all: () => (everything ??= walkAll((request) => loadPage(spec.toQuery(spec.unfiltered), request), deps.pageSize)),
    prime(remoteId, item) {
      byId.clear(remoteId);
      if (item !== undefined) byId.prime(remoteId, item);
    },
    forgetPages() {
      pages.clearAll();
      requests.clear();
      everything = undefined;
    },
  };
}

/** Page-numbered lists always carry their total; one that does not is not the list we know. */
export function counted<T>(page: Page<T>): FetchedPage<T> {
  if (page.total === null) throw new FreshchatError('BAD_RESPONSE', 'Freshchat sent a list page without its pagination');
  return { items: page.items, total: page.total, perPage: page.perPage, page: page.page };
}

/** DataLoader's contract: an Error per failed key, so one page failing fails only its callers. */
const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
