import { badUserInput } from '../errors.js';
import { DEFAULT_PAGE, pageSize, type ConnectionArgs, type Edge, type PageInfo } from './connection.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/**
 * Connections over lists that can only be read forward and whose length is unknown until the end
 * is reached (Freshchat's messages: `link` paging, no total). Relay's algorithm restricted to
 * `first`/`after`: `last`/`before` are refused rather than answered from a partial read.
 */
export interface ForwardSlice {
  /** Offset of the first edge to return. */
  start: number;
  first: number;
}

export interface ForwardConnection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  /** Known once the whole list has been read; null before. */
  totalCount: number | null;
}

/** What a loader read for a forward slice: up to `first` items from `start`, and whether more follow. */
export interface ForwardWindow<T> {
  items: readonly T[];
  hasMore: boolean;
  /** The list's length when the read reached its end. */
  total: number | null;
}

export function toForwardSlice(args: ConnectionArgs, scope: string, maxOffset: number): ForwardSlice {
  for (const argument of ['last', 'before'] as const) {
    if (args[argument] != null) {
      throw badUserInput(`\`${argument}\` is not supported: this list can only be paged forward, with \`first\` and \`after\`.`, {
        argument,
      });
    }
  }
  const start = args.after == null ? 0 : decodeCursor(args.after, scope, maxOffset, 'after') + 1;
  return { start, first: pageSize(args.first, 'first') ?? DEFAULT_PAGE };
}

/**
 * `hasNextPage` is exact (the loader says whether anything follows the window); `hasPreviousPage`
 * is exact too, since offsets are absolute: an edge before `start` exists unless the list is
 * known to be empty.
 */
export function toForwardConnection<T>(read: ForwardWindow<T>, slice: ForwardSlice, scope: string): ForwardConnection<T> {
  const nodes = read.items.slice(0, slice.first);
  const edges = nodes.map((node, i) => ({ cursor: encodeCursor(scope, slice.start + i), node }));
  const hasNextPage = read.hasMore || read.items.length > slice.first;
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: Math.min(slice.start, read.total ?? slice.start) > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: read.total,
  };
}

/** The forward window of a list already read whole (a conversation's history). */
export function toForwardWindow<T>(list: readonly T[], slice: ForwardSlice): ForwardWindow<T> {
  const items = list.slice(slice.start, slice.start + slice.first);
  return { items, hasMore: slice.start + items.length < list.length, total: list.length };
}
