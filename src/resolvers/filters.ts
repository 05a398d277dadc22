import type { FreshchatTicketingUserFilter, FreshchatUserFilter } from '../__generated__/resolvers-types.js';
import { badUserInput } from '../errors.js';
import { MAX_ID_LENGTH } from '../relay/ids.js';

/**
 * Length caps of the string filters (docs/design.md#connections-over-freshchat-pages), checked before any upstream call: Freshchat gets
 * filters in its query string, and an oversized one came back as a 414/431 reported as an upstream
 * fault instead of the caller's mistake. Counted in characters (code points); percent-encoded, a
 * capped value stays under 3 KB of URL (12 bytes per code point at worst), well below the 8 KB that
 * common proxies accept. A new string filter must get a cap here (test/resolvers/filters.test.ts
 * checks every String and ID field of the filter inputs).
 */
export const USER_FILTER_LIMITS = {
  // RFC 5321 §4.5.3.1.3: a path is at most 256 octets including its angle brackets (RFC 3696 errata 1690).
  email: 254,
  // Freshchat documents no limit for `reference_id`; it holds a CRM's id (UUIDs are 36, Salesforce 18).
  // 256 leaves room for composite keys, and is the common VARCHAR(255/256) such ids are stored in.
  externalId: 256,
} as const satisfies Partial<Record<keyof FreshchatUserFilter, number>>;

export const TICKETING_USER_FILTER_LIMITS = {
  // A global id is at most this long (relay/ids.ts); anything longer cannot be one of ours.
  groupId: MAX_ID_LENGTH,
} as const satisfies Partial<Record<keyof FreshchatTicketingUserFilter, number>>;

export const checkUserFilter = (filter: FreshchatUserFilter | null | undefined): void => checkLengths(filter, USER_FILTER_LIMITS);

export const checkTicketingUserFilter = (filter: FreshchatTicketingUserFilter | null | undefined): void =>
  checkLengths(filter, TICKETING_USER_FILTER_LIMITS);

/** Throws BAD_USER_INPUT naming the first field of `filter` longer than its cap. */
export function checkLengths(filter: object | null | undefined, limits: Readonly<Record<string, number>>): void {
  if (filter == null) return;
  const values = filter as Readonly<Record<string, unknown>>;
  for (const [field, max] of Object.entries(limits)) {
    const value = values[field];
    if (typeof value !== 'string' || value.length <= max) continue; // UTF-16 units ≥ code points
    const length = codePoints(value);
    if (length > max) {
      const argument = `filter.${field}`;
      throw badUserInput(`\`${argument}\` must be at most ${max} characters; got ${length}.`, { argument, max });
    }
  }
}

function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}
