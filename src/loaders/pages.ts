import { toWindow, type Slice, type Window } from '../relay/connection.js';

/**
 * Serving a connection window from Freshchat's page-numbered lists (docs/design.md#connections-over-freshchat-pages): choose the fewest
 * upstream pages covering the window, and trust each response's `pagination` over what was asked,
 * because Freshchat may clamp `items_per_page` and lists may change between calls.
 */
export interface PageRequest {
  /** 1-based. */
  page: number;
  perPage: number;
}

export interface FetchedPage<T> {
  items: T[];
  total: number;
  /** As reported by upstream, which may be smaller than the size asked for. */
  perPage: number;
  page: number;
}

export type PageFetcher<T> = (request: PageRequest) => Promise<FetchedPage<T>>;

/** A connection window's items, where they sit in the list, and the list's total. */
export interface WindowResult<T> {
  window: Window;
  items: T[];
  total: number;
}

/** The fewest pages (then the smallest transfer) covering [start, end) with perPage <= maxPerPage. */
export function toPageRequests(start: number, end: number, maxPerPage: number): PageRequest[] {
  if (![start, end, maxPerPage].every(Number.isSafeInteger) || start < 0 || maxPerPage < 1) {
    throw new RangeError(`toPageRequests: bad range [${start}, ${end}) or page size ${maxPerPage}`);
  }
  if (end <= start) return [];
  let best = { perPage: 1, pages: Number.POSITIVE_INFINITY };
  for (let perPage = 1; perPage <= maxPerPage; perPage++) {
    const pages = Math.floor((end - 1) / perPage) - Math.floor(start / perPage) + 1;
    if (pages < best.pages || (pages === best.pages && perPage * pages < best.perPage * best.pages)) {
      best = { perPage, pages };
    }
  }
  const firstPage = Math.floor(start / best.perPage) + 1;
  return Array.from({ length: best.pages }, (_, i) => ({ page: firstPage + i, perPage: best.perPage }));
}

/** Where one load stands; `items` are keyed by absolute offset in the upstream list. */
interface LoadState<T> {
  readonly slice: Slice;
  readonly fetchPage: PageFetcher<T>;
  readonly items: Map<number, { value: T }>;
  /** `page:perPage` of every request made, so no page is fetched twice. */
  readonly requested: Set<string>;
  total: number | undefined;
  /** The page size worth asking for: `maxPerPage` until upstream is seen clamping. */
  perPage: number;
  /** The total an earlier request was told, until this load hears one: plans stop there. */
  readonly totalHint: number | undefined;
}

type Outcome<T> = { request: PageRequest; page: FetchedPage<T> } | { request: PageRequest; error: unknown };

/** Each round covers what is still missing; more than a few means upstream keeps changing under us. */
const MAX_ROUNDS = 8;

/**
 * Fetches the window `slice` selects and returns exactly its items, in order, with upstream's total.
 * Pages planned together are fetched concurrently. Should upstream stay inconsistent, the window
 * is shortened to the items actually obtained rather than padded or failed.
 *
 * `totalHint`, the total Freshchat sent for the same list before, keeps a forward window from asking
 * for pages past the end (a walk's last `first: 100` would otherwise ask for a page Freshchat answers
 * WRONG_PAGE). It is only a plan: a list that grew since is read on from the total its pages tell.
 */
export async function loadWindow<T>(
  slice: Slice,
  fetchPage: PageFetcher<T>,
  maxPerPage: number,
  totalHint?: number,
): Promise<WindowResult<T>> {
  if (!Number.isSafeInteger(maxPerPage) || maxPerPage < 1) {
    throw new RangeError(`loadWindow: bad page size ${maxPerPage}`);
  }
  const state: LoadState<T> = {
    slice,
    fetchPage,
    items: new Map(),
    requested: new Set(),
    total: undefined,
    perPage: maxPerPage,
    totalHint: totalHint !== undefined && Number.isSafeInteger(totalHint) && totalHint >= 0 ? totalHint : undefined,
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const requests = nextRequests(state).filter((request) => !state.requested.has(requestKey(request)));
    if (requests.length === 0) break;
    await fetchRound(state, requests);
  }
  return assemble(state);
}

function requestKey(request: PageRequest): string {
  return `${request.page}:${request.perPage}`;
}

function nextRequests<T>(state: LoadState<T>): PageRequest[] {
  const window = targetWindow(state.slice, state.total, state.totalHint);
  // `last` without `before` counts from the end: page 1 tells the total and may already hold the window.
  if (window === null) return [{ page: 1, perPage: state.perPage }];
  const gap = uncovered(window, state.items);
  // An empty window still needs the total for `totalCount`: the smallest page tells it.
  if (gap === null) return state.total === undefined ? [{ page: 1, perPage: 1 }] : [];
  return toPageRequests(gap.start, gap.end, state.perPage);
}

/** The window, or `null` when it depends on a total not known yet. */
function targetWindow(slice: Slice, total: number | undefined, hint: number | undefined): Window | null {
  if (total !== undefined) return toWindow(slice, total);
  const bounded = slice.first !== undefined || (slice.beforeOffset !== undefined && slice.last !== undefined);
  if (!bounded) return null;
  // Going forward, plan within the total seen before (past it there was nothing); else assume the list
  // is long enough. Either way, the totals the responses tell then correct the window.
  const forward = slice.first !== undefined && slice.beforeOffset === undefined;
  return toWindow(slice, forward && hint !== undefined ? hint : Number.MAX_SAFE_INTEGER);
}

/** The smallest range holding every offset of `window` not fetched yet. */
function uncovered(window: Window, items: ReadonlyMap<number, unknown>): Window | null {
  let { start, end } = window;
  while (start < end && items.has(start)) start++;
  while (end > start && items.has(end - 1)) end--;
  return start < end ? { start, end } : null;
}

async function fetchRound<T>(state: LoadState<T>, requests: PageRequest[]): Promise<void> {
  for (const request of requests) state.requested.add(requestKey(request));
  const outcomes = await Promise.all(
    requests.map((request) =>
      state.fetchPage(request).then(
        (page): Outcome<T> => ({ request, page }),
        (error: unknown): Outcome<T> => ({ request, error }),
      ),
    ),
  );
  const totals: number[] = [];
  const outOfRange: number[] = [];
  for (const outcome of outcomes) {
    if ('page' in outcome) totals.push(record(state, outcome.request, outcome.page));
    else if (isPageOutOfRange(outcome.error)) outOfRange.push((outcome.request.page - 1) * outcome.request.perPage);
    else throw outcome.error;
  }
  // Concurrent answers may disagree when the list changes: the smallest total is the one all can serve.
  const roundTotal = totals.length > 0 ? Math.min(...totals) : undefined;
  const bound = outOfRange.length > 0 ? Math.min(...outOfRange) : undefined;
  const consistent = bound === undefined || (roundTotal !== undefined && roundTotal <= bound);
  state.total = consistent ? roundTotal : await learnTotal(state, bound);
}

/** Stores a page's items at their true offsets, which follow the page size upstream reports. */
function record<T>(state: LoadState<T>, request: PageRequest, fetched: FetchedPage<T>): number {
  const perPage = positive(fetched.perPage) ?? request.perPage;
  const page = positive(fetched.page) ?? request.page;
  if (perPage < request.perPage) state.perPage = Math.min(state.perPage, perPage);
  const base = (page - 1) * perPage;
  fetched.items.slice(0, perPage).forEach((value, i) => state.items.set(base + i, { value }));
  return Math.max(0, fetched.total);
}

function positive(value: number): number | undefined {
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function isPageOutOfRange(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { kind?: unknown }).kind === 'PAGE_OUT_OF_RANGE';
}

/**
 * A page past the end tells only that the total is at most `bound`; the one-item first page tells
 * it exactly (and fresh, should a sibling page have disagreed). An empty list may answer even that
 * page with PAGE_OUT_OF_RANGE.
 */
async function learnTotal<T>(state: LoadState<T>, bound: number): Promise<number> {
  const request = { page: 1, perPage: 1 };
  if (state.requested.has(requestKey(request))) return bound;
  state.requested.add(requestKey(request));
  try {
    return record(state, request, await state.fetchPage(request));
  } catch (error) {
    if (isPageOutOfRange(error)) return 0;
    throw error;
  }
}

function assemble<T>(state: LoadState<T>): WindowResult<T> {
  const total = state.total ?? 0;
  const window = toWindow(state.slice, total);
  const items: T[] = [];
  for (let offset = window.start; offset < window.end; offset++) {
    const item = state.items.get(offset);
    if (item === undefined) break; // a gap left by an inconsistent upstream: end the page before it
    items.push(item.value);
  }
  return { window: { start: window.start, end: window.start + items.length }, items, total };
}
