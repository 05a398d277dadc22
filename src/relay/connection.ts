import { badUserInput } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/**
 * The Relay Cursor Connections algorithm (https://relay.dev/graphql/connections.htm) over lists
 * whose total is known, split in three pure steps so the upstream pages can be chosen between them:
 * `toSlice` (arguments → offsets) → `toWindow` (offsets + total → [start, end)) → `toConnection`.
 */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** The arguments as absolute offsets; `first` or `last` (or both) is set after `toSlice`. */
export interface Slice {
  /** Offset of the `after` edge. */
  afterOffset?: number;
  /** Offset of the `before` edge. */
  beforeOffset?: number;
  first?: number;
  last?: number;
}

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

/**
 * Validates the arguments and decodes their cursors in `scope`, offsets up to `maxOffset`
 * (MAX_CURSOR_OFFSET); every fault is BAD_USER_INPUT.
 */
export function toSlice(args: ConnectionArgs, scope: string, maxOffset: number): Slice {
  const slice: Slice = {};
  const first = pageSize(args.first, 'first');
  const last = pageSize(args.last, 'last');
  if (args.after != null) slice.afterOffset = decodeCursor(args.after, scope, maxOffset, 'after');
  if (args.before != null) slice.beforeOffset = decodeCursor(args.before, scope, maxOffset, 'before');
  if (first !== undefined) slice.first = first;
  if (last !== undefined) slice.last = last;
  if (first === undefined && last === undefined) applyDefault(slice);
  return slice;
}

/**
 * Neither `first` nor `last`: 20 edges. With `before` alone they are the 20 right before it, which is
 * what paging backward from a cursor means; otherwise the head of the list.
 */
function applyDefault(slice: Slice): void {
  if (slice.beforeOffset !== undefined && slice.afterOffset === undefined) slice.last = DEFAULT_PAGE;
  else slice.first = DEFAULT_PAGE;
}

/** docs/design.md#connections-over-freshchat-pages's rule for `first`/`last`: an integer from 0 to MAX_PAGE. Shared with the pre-execution check. */
export const isPageSize = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_PAGE;

export const pageSizeProblem = (argument: string, value: unknown): string =>
  `\`${argument}\` must be an integer from 0 to ${MAX_PAGE}; got ${String(value)}.`;

// Never clamped: a client asking for 500 and silently getting 100 would think the list ended.
export function pageSize(value: number | null | undefined, argument: 'first' | 'last'): number | undefined {
  if (value == null) return undefined;
  if (!isPageSize(value)) throw badUserInput(pageSizeProblem(argument, value), { argument, min: 0, max: MAX_PAGE });
  return value;
}

/** Absolute offsets [start, end) of the edges to return, after the whole algorithm. */
export interface Window {
  start: number;
  end: number;
}

/** ApplyCursorsToEdges: the range left after dropping up to `after` and from `before` on. */
function trim(slice: Slice, total: number): Window {
  const start = clamp(slice.afterOffset === undefined ? 0 : slice.afterOffset + 1, 0, total);
  const end = clamp(slice.beforeOffset ?? total, start, total);
  return { start, end };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** Trims by cursors, then keeps the head (`first`), then the tail of that (`last`). */
export function toWindow(slice: Slice, total: number): Window {
  const trimmed = trim(slice, total);
  const end = slice.first === undefined ? trimmed.end : Math.min(trimmed.end, trimmed.start + slice.first);
  const start = slice.last === undefined ? trimmed.start : Math.max(trimmed.start, end - slice.last);
  return { start, end };
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * Builds the connection from exactly the window's items, in order. Should upstream have shrunk
 * between pages and returned fewer items, the edges are the items given (offsets from
 * `window.start`) and the page ends after the last of them, so `endCursor` resumes correctly.
 */
export function toConnection<T>(
  items: readonly T[],
  window: Window,
  slice: Slice,
  total: number,
  scope: string,
): Connection<T> {
  const edges = items.map((node, i) => ({ cursor: encodeCursor(scope, window.start + i), node }));
  const pageInfo = toPageInfo({ start: window.start, end: window.start + items.length }, slice, total);
  pageInfo.startCursor = edges[0]?.cursor ?? null;
  pageInfo.endCursor = edges.at(-1)?.cursor ?? null;
  return { edges, nodes: [...items], pageInfo, totalCount: total };
}

/**
 * Exact in the direction of travel, as the spec requires (more edges than `first`/`last` within
 * the cursors); in the other direction the spec allows an answer when cheap, and with a known
 * total it is: anything after the page, or anything before it. With both `first` and `last` (which
 * the spec discourages) `hasPreviousPage` compares with the edges actually returned, as
 * graphql-relay-js does: counting the edges before `first` would claim a page before the first edge.
 */
function toPageInfo(window: Window, slice: Slice, total: number): PageInfo {
  const trimmed = trim(slice, total);
  const hasNextPage = slice.first !== undefined ? window.end < trimmed.end : window.end < total;
  const hasPreviousPage = slice.last !== undefined ? window.start > trimmed.start : window.start > 0;
  return { hasNextPage, hasPreviousPage, startCursor: null, endCursor: null };
}
