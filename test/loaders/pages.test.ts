import { describe, expect, it } from 'vitest';
import { FreshchatError } from '../../src/errors.js';
import { toWindow, type Slice } from '../../src/relay/connection.js';
import { loadWindow, toPageRequests, type PageFetcher, type PageRequest } from '../../src/loaders/pages.js';

interface FakeOptions {
  /** Page size upstream actually serves when asked for more. */
  clampTo?: number;
  /** Whether an empty list answers page 1 with PAGE_OUT_OF_RANGE (Freshchat's behaviour is unknown). */
  emptyPageOneOutOfRange?: boolean;
  /** Whether pages past the end throw PAGE_OUT_OF_RANGE (like WRONG_PAGE) or come back empty. */
  throwPastEnd?: boolean;
}

/** An in-memory Freshchat list; `list(callIndex)` lets it change between calls. */
function fakeUpstream(list: (call: number) => readonly number[], options: FakeOptions = {}) {
  const calls: PageRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchPage: PageFetcher<number> = async (request) => {
    const items = list(calls.length);
    calls.push(request);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
    const perPage = Math.min(request.perPage, options.clampTo ?? Number.POSITIVE_INFINITY);
    const start = (request.page - 1) * perPage;
    const pastEnd = start >= items.length && (request.page > 1 || (options.emptyPageOneOutOfRange ?? false));
    if (pastEnd && (options.throwPastEnd ?? true)) {
      throw new FreshchatError('PAGE_OUT_OF_RANGE', 'The page does not exist in the search result');
    }
    return { items: items.slice(start, start + perPage), total: items.length, perPage, page: request.page };
  };
  return { fetchPage, calls, maxInFlight: () => maxInFlight };
}

const range = (size: number): number[] => Array.from({ length: size }, (_, i) => i);
const fixed = (size: number) => () => range(size);

/** A small deterministic PRNG (mulberry32), so the random windows are the same on every run. */
function seeded(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % below);
  };
}

describe('toPageRequests', () => {
  it.each([
    [0, 20, 50, [{ page: 1, perPage: 20 }]],
    [0, 50, 50, [{ page: 1, perPage: 50 }]],
    [0, 120, 50, [1, 2, 3].map((page) => ({ page, perPage: 40 }))],
    [45, 55, 50, [{ page: 5, perPage: 11 }]],
    [49, 51, 50, [{ page: 17, perPage: 3 }]],
    [60, 100, 30, [{ page: 4, perPage: 20 }, { page: 5, perPage: 20 }]],
    [0, 101, 100, [{ page: 1, perPage: 51 }, { page: 2, perPage: 51 }]],
    [7, 8, 50, [{ page: 8, perPage: 1 }]],
    [0, 3, 1, [1, 2, 3].map((page) => ({ page, perPage: 1 }))],
    [0, 0, 50, []],
    [10, 5, 50, []],
  ])('covers [%d, %d) with pages of at most %d as %j', (start, end, max, expected) => {
    expect(toPageRequests(start, end, max)).toEqual(expected);
  });

  it('one page of 11 (page 5) covers offsets 44..54', () => {
    expect([(5 - 1) * 11, 5 * 11 - 1]).toEqual([44, 54]);
  });

  it('takes the fewest pages, then the least data, for random ranges', () => {
    const random = seeded(7);
    for (let i = 0; i < 300; i++) {
      const start = random(500);
      const end = start + 1 + random(300);
      const max = 1 + random(100);
      const pages = toPageRequests(start, end, max);
      const perPage = pages[0]?.perPage ?? 0;
      const first = pages[0]?.page ?? 0;
      expect(perPage).toBeLessThanOrEqual(max);
      expect(pages.map((p) => p.page)).toEqual(range(pages.length).map((k) => first + k));
      expect((first - 1) * perPage).toBeLessThanOrEqual(start);
      expect((first - 1 + pages.length) * perPage).toBeGreaterThanOrEqual(end);
      expect(pages.length).toBe(fewestPagesByWalking(start, end, max));
    }
  });

  it('rejects ranges that are not non-negative integers', () => {
    expect(() => toPageRequests(-1, 5, 50)).toThrow(RangeError);
    expect(() => toPageRequests(0, 5, 0)).toThrow(RangeError);
    expect(() => toPageRequests(0.5, 5, 50)).toThrow(RangeError);
  });
});

/** Brute force: for every page size, walk pages from the one holding `start` until `end` is covered. */
function fewestPagesByWalking(start: number, end: number, max: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let size = 1; size <= max; size++) {
    let count = 0;
    for (let offset = start - (start % size); offset < end; offset += size) count++;
    best = Math.min(best, count);
  }
  return best;
}

describe('loadWindow', () => {
  it('serves random windows exactly, never fetching a page twice', async () => {
    const random = seeded(42);
    for (let i = 0; i < 400; i++) {
      const size = random(4) === 0 ? random(5) : random(260);
      const maxPerPage = [1, 7, 50, 100][random(4)] ?? 50;
      const options: FakeOptions = {
        clampTo: [undefined, 30, 3][random(3)],
        throwPastEnd: random(2) === 0,
        emptyPageOneOutOfRange: random(2) === 0,
      };
      const slice = randomSlice(random, size);
      const upstream = fakeUpstream(fixed(size), options);
      const result = await loadWindow(slice, upstream.fetchPage, maxPerPage);
      const window = toWindow(slice, size);
      const context = JSON.stringify({ size, maxPerPage, options, slice });
      expect(result, context).toEqual({ window, items: range(size).slice(window.start, window.end), total: size });
      const keys = upstream.calls.map((c) => `${c.page}:${c.perPage}`);
      expect(new Set(keys).size, context).toBe(keys.length);
      expect(upstream.calls.every((c) => c.perPage >= 1 && c.perPage <= maxPerPage), context).toBe(true);
    }
  });

  it.each([1, 20, 50, 51, 99, 100])('serves first: %d from the start in ceil(N / 50) calls', async (n) => {
    const upstream = fakeUpstream(fixed(1000));
    const result = await loadWindow({ first: n }, upstream.fetchPage, 50);
    expect(result.items).toEqual(range(n));
    expect(upstream.calls).toHaveLength(Math.ceil(n / 50));
  });

  it.each([20, 50, 60, 100])('serves first: %d when upstream clamps 50 to 30 in ceil(N / 30) calls', async (n) => {
    const upstream = fakeUpstream(fixed(1000), { clampTo: 30 });
    const result = await loadWindow({ first: n }, upstream.fetchPage, 50);
    expect(result.items).toEqual(range(n));
    expect(upstream.calls.length).toBe(Math.ceil(n / 30));
  });

  it('re-plans the rest at the page size upstream reported', async () => {
    const upstream = fakeUpstream(fixed(1000), { clampTo: 30 });
    const result = await loadWindow({ first: 100 }, upstream.fetchPage, 50);
    expect(result.items).toEqual(range(100));
    expect(upstream.calls).toEqual([
      { page: 1, perPage: 50 },
      { page: 2, perPage: 50 },
      { page: 4, perPage: 20 },
      { page: 5, perPage: 20 },
    ]);
  });

  it('fetches the pages of one plan concurrently', async () => {
    const upstream = fakeUpstream(fixed(1000));
    await loadWindow({ first: 100 }, upstream.fetchPage, 50);
    expect(upstream.maxInFlight()).toBe(2);
  });

  it.each([
    [1, 50, undefined],
    [20, 50, undefined],
    [50, 50, undefined],
    [100, 50, undefined],
    [37, 50, undefined],
    [100, 50, 30],
    [100, 100, 50],
  ])('serves last: %d without before in ceil(N / perPage) + 2 calls (max %d, clamp %s)', async (n, max, clampTo) => {
    const upstream = fakeUpstream(fixed(1003), { clampTo });
    const result = await loadWindow({ last: n }, upstream.fetchPage, max);
    expect(result).toEqual({ window: { start: 1003 - n, end: 1003 }, items: range(1003).slice(-n), total: 1003 });
    expect(upstream.calls.length).toBeLessThanOrEqual(Math.ceil(n / (clampTo ?? max)) + 2);
  });

  it('serves last: N from page 1 alone when the list is short', async () => {
    const upstream = fakeUpstream(fixed(30));
    const result = await loadWindow({ last: 10 }, upstream.fetchPage, 50);
    expect(result.items).toEqual(range(30).slice(20));
    expect(upstream.calls).toEqual([{ page: 1, perPage: 50 }]);
  });

  it('serves last + before without learning the total first', async () => {
    const upstream = fakeUpstream(fixed(1000));
    const result = await loadWindow({ last: 10, beforeOffset: 500 }, upstream.fetchPage, 50);
    expect(result).toEqual({ window: { start: 490, end: 500 }, items: range(1000).slice(490, 500), total: 1000 });
    expect(upstream.calls).toHaveLength(1);
  });

  it('learns the total from one item when a cursor points past the end', async () => {
    const upstream = fakeUpstream(fixed(30));
    const result = await loadWindow({ first: 10, afterOffset: 500 }, upstream.fetchPage, 50);
    expect(result).toEqual({ window: { start: 30, end: 30 }, items: [], total: 30 });
    expect(upstream.calls).toHaveLength(2);
    expect(upstream.calls[1]).toEqual({ page: 1, perPage: 1 });
  });

  it('serves the tail before a cursor past the end of a list that shrank', async () => {
    const upstream = fakeUpstream(fixed(30));
    const result = await loadWindow({ last: 5, beforeOffset: 500 }, upstream.fetchPage, 50);
    expect(result).toEqual({ window: { start: 25, end: 30 }, items: [25, 26, 27, 28, 29], total: 30 });
  });

  it('does not ask past the end when a sibling page already told the total', async () => {
    const upstream = fakeUpstream(fixed(60));
    const result = await loadWindow({ first: 100 }, upstream.fetchPage, 50);
    expect(result.items).toEqual(range(60));
    expect(upstream.calls).toHaveLength(2);
  });

  it.each([
    ['throws PAGE_OUT_OF_RANGE for page 1', { emptyPageOneOutOfRange: true }, 2],
    ['answers page 1 empty', { emptyPageOneOutOfRange: false }, 1],
  ])('serves an empty list that %s', async (_name, options, calls) => {
    for (const slice of [{ first: 20 }, { last: 20 }, { first: 0 }] satisfies Slice[]) {
      const upstream = fakeUpstream(fixed(0), options);
      const result = await loadWindow(slice, upstream.fetchPage, 50);
      expect(result).toEqual({ window: { start: 0, end: 0 }, items: [], total: 0 });
      expect(upstream.calls.length).toBeLessThanOrEqual(calls);
    }
  });

  it('still learns the total for first: 0', async () => {
    const upstream = fakeUpstream(fixed(42));
    const result = await loadWindow({ first: 0 }, upstream.fetchPage, 50);
    expect(result).toEqual({ window: { start: 0, end: 0 }, items: [], total: 42 });
    expect(upstream.calls).toEqual([{ page: 1, perPage: 1 }]);
  });

  it('serves the smaller total when the list shrinks between concurrent pages', async () => {
    const upstream = fakeUpstream((call) => range(call === 0 ? 100 : 70));
    const result = await loadWindow({ first: 100 }, upstream.fetchPage, 50);
    expect(result).toEqual({ window: { start: 0, end: 70 }, items: range(70), total: 70 });
  });

  it('re-learns the total when a page vanishes after the first told another', async () => {
    const upstream = fakeUpstream((call) => range(call === 0 ? 100 : 60));
    const result = await loadWindow({ last: 20 }, upstream.fetchPage, 50);
    expect(result).toEqual({ window: { start: 40, end: 60 }, items: range(60).slice(40), total: 60 });
    expect(upstream.calls.length).toBeLessThanOrEqual(4);
  });

  it('re-learns the total when concurrent pages disagree with a vanished page', async () => {
    const upstream = fakeUpstream((call) => range(call === 0 ? 100 : 40));
    const result = await loadWindow({ first: 100 }, upstream.fetchPage, 50);
    expect(result).toEqual({ window: { start: 0, end: 40 }, items: range(40), total: 40 });
  });

  it('plans a forward window within the total seen before, so the last page of a walk asks nothing past the end', async () => {
    const upstream = fakeUpstream(fixed(150));
    const result = await loadWindow({ first: 100, afterOffset: 99 }, upstream.fetchPage, 50, 150);
    expect(result).toEqual({ window: { start: 100, end: 150 }, items: range(150).slice(100), total: 150 });
    expect(upstream.calls).toEqual([{ page: 3, perPage: 50 }]);
  });

  it('reads on past a total seen before when the list has grown since', async () => {
    const upstream = fakeUpstream(fixed(170));
    const result = await loadWindow({ first: 100, afterOffset: 99 }, upstream.fetchPage, 50, 150);
    expect(result).toEqual({ window: { start: 100, end: 170 }, items: range(170).slice(100), total: 170 });
  });

  it('learns the total at once when a cursor points past the end seen before', async () => {
    const upstream = fakeUpstream(fixed(40));
    const result = await loadWindow({ first: 10, afterOffset: 59 }, upstream.fetchPage, 50, 60);
    expect(result).toEqual({ window: { start: 40, end: 40 }, items: [], total: 40 });
    expect(upstream.calls).toEqual([{ page: 1, perPage: 1 }]);
  });

  it('refuses a page size below 1', async () => {
    await expect(loadWindow({ last: 5 }, fakeUpstream(fixed(10)).fetchPage, 0)).rejects.toThrow(RangeError);
  });

  it('passes other upstream errors through', async () => {
    const error = new FreshchatError('UNAVAILABLE', 'down');
    await expect(loadWindow({ first: 10 }, () => Promise.reject(error), 50)).rejects.toBe(error);
  });
});

function randomSlice(random: (below: number) => number, size: number): Slice {
  const slice: Slice = {};
  const offset = (): number => random(size + 12);
  const kind = random(6);
  if (kind <= 2) slice.first = random(101);
  if (kind >= 2 && kind <= 4) slice.last = random(101);
  if (random(2) === 0) slice.afterOffset = offset();
  if (random(2) === 0 || kind === 5) slice.beforeOffset = offset();
  return slice;
}
