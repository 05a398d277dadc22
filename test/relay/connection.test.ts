import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAGE,
  MAX_PAGE,
  toConnection,
  toSlice,
  toWindow,
  type Connection,
  type ConnectionArgs,
} from '../../src/relay/connection.js';
import { connectionScope, encodeCursor } from '../../src/relay/cursor.js';
import { errorOf } from '../support/errors.js';

const scope = connectionScope('acme', 'ticketingUsers', { isActive: true });
const cursor = (offset: number): string => encodeCursor(scope, offset);
const list = (size: number): string[] => Array.from({ length: size }, (_, i) => `n${i}`);
const MAX_OFFSET = 1_000;

/** The whole pipeline over an in-memory list, as a resolver would run it. */
function paginate(all: readonly string[], args: ConnectionArgs): Connection<string> {
  const slice = toSlice(args, scope, MAX_OFFSET);
  const window = toWindow(slice, all.length);
  return toConnection(all.slice(window.start, window.end), window, slice, all.length, scope);
}

interface RefArgs {
  first?: number;
  last?: number;
  after?: number;
  before?: number;
}

/**
 * The spec (relay.dev/graphql/connections.htm §4) over an array, edge by edge, with the choices
 * the spec leaves open and the two places where we follow graphql-relay-js instead:
 * - crossed cursors (`before` at or before `after`) act as if `before` were right after `after`:
 *   no edges; the spec's text would ignore `before`, which is no longer among the edges;
 * - with `first` and `last` together, `hasPreviousPage` asks whether edges precede the page within
 *   the cursors, not whether the cursors leave more than `last` edges.
 */
function reference(all: readonly string[], refArgs: RefArgs) {
  const { after, before } = refArgs;
  const crossed = after !== undefined && before !== undefined && before <= after;
  const args = { ...refArgs, before: crossed ? (after ?? 0) + 1 : before };
  let edges = all.map((node, offset) => ({ node, offset }));
  if (args.after !== undefined) edges = edges.filter((e) => e.offset > (args.after ?? -1));
  if (args.before !== undefined) edges = edges.filter((e) => e.offset < (args.before ?? 0));
  const trimmed = edges;
  if (args.first !== undefined) edges = edges.slice(0, args.first);
  const headed = edges;
  if (args.last !== undefined) edges = edges.slice(Math.max(0, edges.length - args.last));
  const hasNextPage =
    args.first !== undefined ? trimmed.length > args.first : args.before !== undefined && args.before < all.length;
  const hasPreviousPage =
    args.last !== undefined ? headed.length > args.last : args.after !== undefined && args.after >= 0;
  return {
    edges: edges.map((e) => ({ cursor: cursor(e.offset), node: e.node })),
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0] ? cursor(edges[0].offset) : null,
      endCursor: edges.at(-1) ? cursor(edges.at(-1)?.offset ?? 0) : null,
    },
  };
}


const optional = (max: number): (number | undefined)[] => [undefined, ...Array.from({ length: max + 1 }, (_, i) => i)];
const table = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((size) =>
  optional(size + 1).flatMap((first) => optional(size + 1).map((last) => ({ size, first, last }))),
);

describe('the Relay algorithm against the spec, exhaustively for lists of 0..7', () => {
  it.each(table)('size $size, first $first, last $last, every after/before', ({ size, first, last }) => {
    const all = list(size);
    for (const after of optional(size - 1)) {
      for (const before of optional(size - 1)) {
        const args = {
          first,
          last,
          after: after === undefined ? null : cursor(after),
          before: before === undefined ? undefined : cursor(before),
        };
        // Neither first nor last: 20 before `before` when it stands alone, else the first 20.
        const neither = first === undefined && last === undefined;
        const backward = neither && before !== undefined && after === undefined;
        const defaults = neither ? (backward ? { last: DEFAULT_PAGE } : { first: DEFAULT_PAGE }) : {};
        const expected = reference(all, { first, last, after, before, ...defaults });
        const actual = paginate(all, args);
        expect({ edges: actual.edges, pageInfo: actual.pageInfo }, JSON.stringify({ after, before })).toEqual(expected);
        expect(actual.nodes).toEqual(actual.edges.map((e) => e.node));
        expect(actual.totalCount).toBe(size);
      }
    }
  });
});

describe('named cases', () => {
  const ten = list(10);

  it('serves an empty list with null cursors', () => {
    expect(paginate([], {})).toEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      totalCount: 0,
    });
  });

  it('defaults to the first 20', () => {
    const page = paginate(list(30), {});
    expect(page.nodes).toEqual(list(20));
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(toSlice({ first: null, last: null }, scope, MAX_OFFSET)).toEqual({ first: DEFAULT_PAGE });
  });

  it('defaults to the 20 right before `before` when it is the only argument', () => {
    const page = paginate(list(50), { before: cursor(45) });
    expect(page.nodes).toEqual(list(45).slice(25));
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('answers first: 0 with no edges but says whether any exist', () => {
    const page = paginate(ten, { first: 0 });
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
    expect(page.totalCount).toBe(10);
  });

  it('takes last without before from the end, in list order', () => {
    const page = paginate(ten, { last: 3 });
    expect(page.nodes).toEqual(['n7', 'n8', 'n9']);
    expect(page.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: cursor(7),
      endCursor: cursor(9),
    });
  });

  it('applies first, then last, when both are given', () => {
    const page = paginate(ten, { first: 5, last: 2, after: cursor(1) });
    expect(page.nodes).toEqual(['n5', 'n6']);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('gives an empty page after the last element', () => {
    const page = paginate(ten, { first: 5, after: cursor(9) });
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });

  it('gives an empty page before the first element', () => {
    const page = paginate(ten, { last: 5, before: cursor(0) });
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('gives an empty page for cursors past the end of a list that shrank', () => {
    expect(paginate(ten, { first: 5, after: cursor(40) }).edges).toEqual([]);
    expect(paginate(ten, { last: 5, before: cursor(40) }).nodes).toEqual(['n5', 'n6', 'n7', 'n8', 'n9']);
  });

  it('gives an empty page for crossed cursors', () => {
    expect(paginate(ten, { first: 5, after: cursor(6), before: cursor(3) }).edges).toEqual([]);
  });

  it('pages forward and backward through the same cursors', () => {
    const forward = paginate(ten, { first: 4, after: cursor(2) });
    const back = paginate(ten, { last: 4, before: forward.pageInfo.endCursor });
    expect(back.nodes).toEqual(['n2', 'n3', 'n4', 'n5']);
    expect(back.edges[1]).toEqual(forward.edges[0]);
  });

  it.each([
    ['first', { first: MAX_PAGE + 1 }, 101],
    ['first', { first: -1 }, -1],
    ['last', { last: 1000 }, 1000],
    ['last', { last: -5 }, -5],
    ['first', { first: 2.5 }, 2.5],
    ['first', { first: Number.NaN }, Number.NaN],
  ])('rejects %s: %j without clamping', (argument, args, value) => {
    const error = errorOf(() => toSlice(args, scope, MAX_OFFSET));
    expect(error.message).toBe(`\`${argument}\` must be an integer from 0 to 100; got ${value}.`);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument, min: 0, max: 100 });
  });

  it('accepts first: 100 and last: 0', () => {
    expect(toSlice({ first: 100, last: 0 }, scope, MAX_OFFSET)).toEqual({ first: 100, last: 0 });
  });

  it('rejects a cursor from another filter', () => {
    const foreign = encodeCursor(connectionScope('acme', 'ticketingUsers', { isActive: false }), 2);
    const error = errorOf(() => toSlice({ first: 2, after: foreign }, scope, MAX_OFFSET));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(error.message).toMatch(/another connection or filter/);
  });

  it('rejects a cursor past the maximum offset before any page is planned', () => {
    const error = errorOf(() => toSlice({ first: 2, after: cursor(MAX_OFFSET + 1) }, scope, MAX_OFFSET));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'after', max: MAX_OFFSET });
  });

  it('rejects a malformed before cursor, naming it', () => {
    expect(errorOf(() => toSlice({ last: 2, before: 'x' }, scope, MAX_OFFSET)).message).toBe('`before` is not a valid cursor.');
  });

  it('builds edges from the items actually given when upstream returned fewer', () => {
    const slice = toSlice({ first: 5, after: cursor(1) }, scope, MAX_OFFSET);
    const page = toConnection(['n2', 'n3'], { start: 2, end: 7 }, slice, 10, scope);
    expect(page.edges).toEqual([
      { cursor: cursor(2), node: 'n2' },
      { cursor: cursor(3), node: 'n3' },
    ]);
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: cursor(2),
      endCursor: cursor(3),
    });
  });
});
