import type { FetchedPage } from './pages.js';

/** How one list can be read: by single GETs, or walked page by page. */
export interface ListSource<T> {
  getOne(remoteId: string): Promise<T | null>;
  /** Page `n` of the unfiltered list at the configured page size (cached per request). */
  page(n: number): Promise<FetchedPage<T>>;
  remoteIdOf(item: T): string;
  /** The list's last known total, when any request has seen it. */
  totalHint(): number | undefined;
  pageSize: number;
}

const pagesFor = (total: number, perPage: number): number => Math.max(1, Math.ceil(total / perPage));

/**
 * Resolves K ids in at most K upstream calls and never more than the list walk that would cover them
 * (docs/design.md#the-upstream-call-budget): single GETs when K is at most the walk's page count, else the walk. Without a known
 * total it reads page 1 of the walk first and finishes with whichever is cheaper for the ids left.
 * Returns one entry per id, in order: the item, null when missing, or an Error for that id alone.
 */
export async function loadByIds<T>(ids: readonly string[], source: ListSource<T>): Promise<(T | null | Error)[]> {
  const hint = source.totalHint();
  const preferSingles = hint === undefined ? ids.length <= 3 : ids.length <= pagesFor(hint, source.pageSize);
  if (preferSingles) return settle(ids, source.getOne);

  const found = new Map<string, T>();
  const first = await source.page(1);
  index(first.items, source, found);
  const missing = ids.filter((id) => !found.has(id));
  const remainingPages = pagesFor(first.total, first.perPage) - 1;
  if (missing.length > 0 && missing.length <= remainingPages) {
    const singles = await settle(missing, source.getOne);
    missing.forEach((id, i) => remember(found, id, singles[i]));
    return ids.map((id) => found.get(id) ?? singlesError(missing, singles, id) ?? null);
  }
  if (missing.length > 0) {
    const rest = Array.from({ length: remainingPages }, (_, i) => source.page(i + 2));
    for (const page of await Promise.all(rest)) index(page.items, source, found);
  }
  return ids.map((id) => found.get(id) ?? null);
}

function index<T>(items: readonly T[], source: ListSource<T>, into: Map<string, T>): void {
  for (const item of items) into.set(source.remoteIdOf(item), item);
}

function remember<T>(into: Map<string, T>, id: string, value: T | null | Error | undefined): void {
  if (value !== null && value !== undefined && !(value instanceof Error)) into.set(id, value);
}

function singlesError<T>(ids: readonly string[], values: readonly (T | null | Error)[], id: string): Error | undefined {
  const value = values[ids.indexOf(id)];
  return value instanceof Error ? value : undefined;
}

/** One failing id must not fail its neighbours (DataLoader's per-key Error contract). */
async function settle<T>(ids: readonly string[], getOne: (id: string) => Promise<T | null>): Promise<(T | null | Error)[]> {
  const results = await Promise.allSettled(ids.map((id) => getOne(id)));
  return results.map((r) => (r.status === 'fulfilled' ? r.value : toError(r.reason)));
}

const toError = (reason: unknown): Error => (reason instanceof Error ? reason : new Error(String(reason)));
