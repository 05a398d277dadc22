import type * as Freshchat from '../resources/wire.js';
import type { Dataset } from './dataset.js';
import { ApiError } from './http.js';
import { invalidValue, parseSortOrder } from './paging.js';

/** What a list endpoint needs to know about its resource; the router does auth and the envelope. */
export interface ListResource {
  /** Envelope key, e.g. `agents`. */
  key: keyof Pick<Dataset, 'agents' | 'groups' | 'roles' | 'users' | 'channels'>;
  /** `links.*.rel`. */
  rel: string;
  /** Scope the token needs; undefined = any valid token (there is no group:* scope, docs/freshchat-api.md#authentication). */
  scope: string | undefined;
  /** The filtered, sorted items; throws ApiError on bad input. */
  select(dataset: Dataset, query: URLSearchParams): readonly unknown[];
  /** For resources with `GET /<key>/{id}`: the 404 status key. */
  notFound?: string;
}

type Timed = { id: string; created_time?: string | null };

function byCreatedTime(a: Timed, b: Timed): number {
  const at = a.created_time ?? '';
  const bt = b.created_time ?? '';
  if (at !== bt) return at < bt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * `sort_by` values are undocumented except `name` for groups (docs/freshchat-api.md#lists-and-pagination); anything else is rejected so a
 * client relying on an unsupported sort fails loudly here rather than silently upstream.
 */
function sorted<T>(items: readonly T[], query: URLSearchParams, sorts: Record<string, ((a: T, b: T) => number) | undefined>): T[] {
  const sortBy = query.get('sort_by') ?? 'default';
  const compare = Object.hasOwn(sorts, sortBy) ? sorts[sortBy] : undefined;
  if (!compare) throw invalidValue(`sort_by must be one of: ${Object.keys(sorts).filter((k) => k !== 'default').join(', ')}`);
  const out = [...items].sort(compare);
  return parseSortOrder(query) === 'desc' ? out.reverse() : out;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en');
const keepOrder = () => 0;

function booleanParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (raw !== 'true' && raw !== 'false') throw invalidValue(`${name} must be true or false`);
  return raw === 'true';
}

function selectAgents(dataset: Dataset, query: URLSearchParams): Freshchat.Agent[] {
  const group = query.get('groups');
  const deactivated = booleanParam(query, 'is_deactivated');
  const availability = query.get('availability_status');
  if (availability !== null && availability !== 'AVAILABLE' && availability !== 'UNAVAILABLE') {
    throw invalidValue('availability_status must be AVAILABLE or UNAVAILABLE');
  }
  const matches = dataset.agents.filter(
    (a) =>
      (group === null || (a.groups ?? []).includes(group)) &&
      (deactivated === undefined || (a.is_deactivated ?? false) === deactivated) &&
      (availability === null || a.availability_status === availability),
  );
  // Quirk docs/freshchat-api.md#an-empty-agent-filter-answers-404: a filtered agent list that matches nothing is a 404, not an empty page.
  const filtered = group !== null || deactivated !== undefined || availability !== null;
  if (filtered && matches.length === 0) throw new ApiError(404, 'AGENT_NOT_FOUND', 'No agents found');
  return sorted(matches, query, { default: byCreatedTime, created_time: byCreatedTime });
}

const USER_TIME_FILTERS = [
  ['created_from', 'created_time', 1],
  ['created_to', 'created_time', -1],
  ['updated_from', 'updated_time', 1],
  ['updated_to', 'updated_time', -1],
] as const;

/** ISO-8601 date or UTC/offset date-time; a time without a zone would depend on the host's zone. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

function instantParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const ms = ISO_DATE.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw invalidValue(`${name} must be an ISO-8601 date-time`);
  return ms;
}

function selectUsers(dataset: Dataset, query: URLSearchParams): Freshchat.User[] {
  const email = query.get('email')?.toLowerCase() ?? null;
  const referenceId = query.get('reference_id');
  const bounds = USER_TIME_FILTERS.map(([param, field, sign]) => ({ field, sign, ms: instantParam(query, param) }));
  // Freshchat refuses to enumerate contacts without a filter (docs/freshchat-api.md#contacts, docs/freshchat-api.md#the-contact-list-needs-a-filter).
  if (email === null && referenceId === null && bounds.every((b) => b.ms === undefined)) {
    throw invalidValue('at least one filter is required');
  }
  const matches = dataset.users.filter(
    (u) =>
      (email === null || u.email?.toLowerCase() === email) &&
      (referenceId === null || u.reference_id === referenceId) &&
      bounds.every(({ field, sign, ms }) => ms === undefined || withinBound(u[field], ms, sign)),
  );
  return sorted(matches, query, { default: byCreatedTime, created_time: byCreatedTime });
}

/** Inclusive: sign 1 means `value >= bound` (a *_from filter), -1 means `value <= bound`. */
function withinBound(value: string | null | undefined, bound: number, sign: 1 | -1): boolean {
  if (!value) return false;
  return (Date.parse(value) - bound) * sign >= 0;
}

/** `locale` (ISO-639, e.g. `en`) is the one channel filter Freshchat documents. */
function selectChannels(dataset: Dataset, query: URLSearchParams): Freshchat.Channel[] {
  const locale = query.get('locale');
  if (locale !== null && !/^[a-z]{2,3}$/.test(locale)) throw invalidValue('locale must be an ISO-639 code, e.g. en');
  const matches = dataset.channels.filter((c) => locale === null || c.locale === locale);
  return sorted(matches, query, { default: keepOrder, name: byName });
}

export const LIST_RESOURCES: Record<string, ListResource> = {
  agents: { key: 'agents', rel: 'agent', scope: 'agent:read', select: selectAgents, notFound: 'AGENT_NOT_FOUND' },
  users: { key: 'users', rel: 'user', scope: 'user:read', select: selectUsers, notFound: 'USER_NOT_FOUND' },
  groups: { key: 'groups', rel: 'group', scope: undefined, select: (d, q) => sorted(d.groups, q, { default: keepOrder, name: byName }) },
  roles: { key: 'roles', rel: 'role', scope: 'role:read', select: (d, q) => sorted(d.roles, q, { default: keepOrder, name: byName }) },
  // No channel scope exists (a token cannot be refused this list for lacking one), as for groups.
  channels: { key: 'channels', rel: 'channel', scope: undefined, select: selectChannels },
};
