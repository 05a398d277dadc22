import type { Page, PageQuery } from '../freshchat/page.js';
import { counted, type ResourceDeps } from './paged-list.js';
import { walkAll } from './walk.js';

/** How a small list that is read whole (groups, roles) is fetched and mapped to models. */
export interface CatalogSpec<R, T> {
  /** Names the catalog in the cross-request cache. */
  name: string;
  fetchPage(page: PageQuery): Promise<Page<R>>;
  map(raw: R): T;
}

/** A catalog's per-request loaders: one walk, joined in memory (docs/design.md#the-upstream-call-budget). */
export interface Catalog<T> {
  all(): Promise<T[]>;
  /** One item by Freshchat id, from the walk. */
  get(remoteId: string): Promise<T | null>;
}

/**
 * Catalogs are walked once per request, or taken from the cross-request cache (CATALOG_CACHE_TTL_MS,
 * in Redis when configured), which is keyed by account so nothing is shared across accounts.
 */
export function createCatalog<R, T extends { remoteId: string }>(spec: CatalogSpec<R, T>, deps: ResourceDeps): Catalog<T> {
  const walk = async () => {
    const raw = await walkAll(async (request) => counted(await spec.fetchPage({ page: request.page, items_per_page: request.perPage })), deps.pageSize);
    return raw.map(spec.map);
  };
  let items: Promise<T[]> | undefined;
  let index: Promise<Map<string, T>> | undefined;
  const all = () => (items ??= deps.catalogs.get(deps.client.account.key, spec.name, walk));
  return {
    all,
    async get(remoteId) {
      index ??= all().then((list) => new Map(list.map((item) => [item.remoteId, item])));
      return (await index).get(remoteId) ?? null;
    },
  };
}
