import { describe, expect, it } from 'vitest';
import { MAX_PAGE } from '../../src/relay/connection.js';
import { connectionScope, encodeCursor } from '../../src/relay/cursor.js';
import { toForwardConnection, toForwardSlice, toForwardWindow, type ForwardWindow } from '../../src/relay/forward.js';
import { errorOf } from '../support/errors.js';

const scope = connectionScope('acme', 'ticket:42:comments');
const MAX_OFFSET = 1_000_000;
const cursor = (offset: number): string => encodeCursor(scope, offset);
const list = (size: number): string[] => Array.from({ length: size }, (_, i) => `m${i}`);

/** Relay's algorithm with `first`/`after` only, edge by edge over the whole array. */
function reference(all: readonly string[], first: number, after: number | undefined) {
  const remaining = all.map((node, offset) => ({ node, offset })).filter((e) => after === undefined || e.offset > after);
  const edges = remaining.slice(0, first);
  return {
    edges: edges.map((e) => ({ cursor: cursor(e.offset), node: e.node })),
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: remaining.length > first,
      hasPreviousPage: after !== undefined && Math.min(after + 1, all.length) > 0,
      startCursor: edges[0] ? cursor(edges[0].offset) : null,
      endCursor: edges.at(-1) ? cursor(edges.at(-1)!.offset) : null,
    },
  };
}

/** A loader that stops reading as soon as it holds one item past the window, as a paged reader does. */
function partialRead(all: readonly string[], start: number, first: number): ForwardWindow<string> {
  const items = all.slice(start, start + first + 1);
  const reachedEnd = start + first + 1 >= all.length;
  return { items, hasMore: false, total: reachedEnd ? all.length : null };
}

const cases = Array.from({ length: 13 }, (_, size) => size).flatMap((size) =>
  [undefined, ...Array.from({ length: size + 3 }, (_, i) => i)].flatMap((after) =>
    [0, 1, 2, 3, 5, 8, 13].map((first) => ({ size, after, first })),
  ),
);

describe('forward-only connections against the reference model', () => {
  it.each(cases)('size $size, first $first, after $after: a whole history read gives the reference page and the total', ({ size, after, first }) => {
    const all = list(size);
    const slice = toForwardSlice({ first, after: after === undefined ? null : cursor(after) }, scope, MAX_OFFSET);
    const connection = toForwardConnection(toForwardWindow(all, slice), slice, scope);
    expect(connection).toEqual({ ...reference(all, first, after), totalCount: size });
  });

  it.each(cases)('size $size, first $first, after $after: a read that stops early gives the same page', ({ size, after, first }) => {
    const all = list(size);
    const slice = toForwardSlice({ first, after: after === undefined ? null : cursor(after) }, scope, MAX_OFFSET);
    const read = partialRead(all, slice.start, first);
    const connection = toForwardConnection(read, slice, scope);
    expect({ ...connection, totalCount: undefined }).toEqual({ ...reference(all, first, after), totalCount: undefined });
    expect(connection.totalCount).toBe(read.total);
  });
});

describe('forward-only connection arguments', () => {
  it('returns the first 20 edges when no `first` is given', () => {
    expect(toForwardSlice({}, scope, MAX_OFFSET)).toEqual({ start: 0, first: 20 });
  });

  it('starts right after the `after` edge', () => {
    expect(toForwardSlice({ first: 5, after: cursor(9) }, scope, MAX_OFFSET)).toEqual({ start: 10, first: 5 });
  });

  it.each([
    ['last', { last: 5 }],
    ['before', { before: cursor(3) }],
  ])('refuses `%s` with BAD_USER_INPUT naming it: the list cannot be paged backward', (argument, args) => {
    const error = errorOf(() => toForwardSlice(args, scope, MAX_OFFSET));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(error.message).toContain('forward');
  });

  it.each([-1, MAX_PAGE + 1, 2.5])('refuses first: %s with BAD_USER_INPUT', (first) => {
    expect(errorOf(() => toForwardSlice({ first }, scope, MAX_OFFSET)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it('refuses a cursor past MAX_CURSOR_OFFSET before anything is read', () => {
    expect(errorOf(() => toForwardSlice({ after: cursor(MAX_OFFSET + 1) }, scope, MAX_OFFSET)).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'after',
    });
  });

  it('refuses a cursor minted for another list', () => {
    const foreign = encodeCursor(connectionScope('acme', 'ticket:43:comments'), 2);
    expect(errorOf(() => toForwardSlice({ after: foreign }, scope, MAX_OFFSET)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('keeps a cursor valid while newer items are appended after it', () => {
    const before = list(6);
    const page = toForwardConnection(toForwardWindow(before, toForwardSlice({ first: 3 }, scope, MAX_OFFSET)), { start: 0, first: 3 }, scope);
    const appended = [...before, 'm6', 'm7'];
    const next = toForwardSlice({ first: 3, after: page.pageInfo.endCursor }, scope, MAX_OFFSET);
    expect(toForwardConnection(toForwardWindow(appended, next), next, scope).nodes).toEqual(['m3', 'm4', 'm5']);
  });
});
