import { createHash } from 'node:crypto';
import { badUserInput } from '../errors.js';

/**
 * Opaque connection cursors (docs/design.md#connections-over-freshchat-pages): base64url("c1:<scopeHash>:<offset>"), no padding.
 *
 * - offset: the edge's absolute position in the list Freshchat returns for that scope, so a
 *   cursor stays valid across page sizes and both directions. Positions drift if the list changes
 *   between requests, which is acceptable for directories and the price of page-numbered upstreams.
 * - scopeHash: the first 12 base64url characters of sha256(scope), where the scope names account,
 *   connection and canonical filter (see `connectionScope`). It ties a cursor to the list it came
 *   from without leaking the filter, so a cursor replayed on another filter is an error, not a
 *   silently wrong page.
 */
const VERSION = 'c1';
const HASH_LENGTH = 12;
const MAX_CURSOR_LENGTH = 128;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const PAYLOAD = /^c1:([A-Za-z0-9_-]{12}):(0|[1-9][0-9]*)$/;

// A page's edges share one scope: hashing it once per scope, not once per edge, was the largest
// share of the subgraph's own CPU in the fan-out profile. Bounded, so many filters cannot grow it.
const SCOPE_HASHES = new Map<string, string>();
const MAX_SCOPE_HASHES = 1_000;

function scopeHash(scope: string): string {
  let hash = SCOPE_HASHES.get(scope);
  if (hash === undefined) {
    hash = createHash('sha256').update(scope, 'utf8').digest('base64url').slice(0, HASH_LENGTH);
    if (SCOPE_HASHES.size >= MAX_SCOPE_HASHES) SCOPE_HASHES.clear();
    SCOPE_HASHES.set(scope, hash);
  }
  return hash;
}

/** The cursor of the edge at `offset` in the list named by `scope`. */
export function encodeCursor(scope: string, offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`encodeCursor: bad offset ${offset}`);
  return Buffer.from(`${VERSION}:${scopeHash(scope)}:${offset}`, 'utf8').toString('base64url');
}

/**
 * The absolute offset a client's cursor points at. Throws BAD_USER_INPUT naming `argument` when
 * the cursor is not one of ours, belongs to another scope (connection, filter or account), or points
 * past `maxOffset` (MAX_CURSOR_OFFSET): the scope hash is public in every cursor, so anyone can forge
 * one with any offset, and an unbounded one would reach Freshchat as an absurd page number.
 */
export function decodeCursor(cursor: string, scope: string, maxOffset: number, argument = 'after'): number {
  const payload = decodePayload(cursor);
  const match = payload === null ? null : PAYLOAD.exec(payload);
  const offset = match?.[2] === undefined ? Number.NaN : Number(match[2]);
  if (!match || !Number.isSafeInteger(offset)) {
    throw badUserInput(`\`${argument}\` is not a valid cursor.`, { argument });
  }
  if (match[1] !== scopeHash(scope)) {
    throw badUserInput(`\`${argument}\` cursor belongs to another connection or filter.`, { argument });
  }
  if (offset > maxOffset) {
    throw badUserInput(`\`${argument}\` cursor points past offset ${maxOffset}, the deepest this subgraph pages.`, { argument, max: maxOffset });
  }
  return offset;
}

function decodePayload(cursor: string): string | null {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // Only the canonical encoding is accepted, so each edge has exactly one cursor.
  return Buffer.from(text, 'utf8').toString('base64url') === cursor ? text : null;
}

/**
 * The scope a connection's cursors are tied to: `<accountId>:<connection>:<canonical JSON filter>`.
 * Keys are sorted and null/undefined values dropped, so the same filter always gives the same
 * scope however the client spelled it (`{a, b: null}` equals `{a}`; no filter equals `{}`).
 * Put parent ids (a group's members) into `filter` rather than `connection`.
 */
export function connectionScope(accountId: string, connection: string, filter?: Record<string, unknown>): string {
  return `${accountId}:${connection}:${JSON.stringify(canonical(filter ?? {}))}`;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined && v !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, canonical(v)] as const);
  return Object.fromEntries(entries);
}
