/**
 * One method per Freshchat endpoint. This is the only module that knows Freshchat's HTTP quirks
 * (freshchat-api.md §8); callers see wire values, `null` for a missing object, or a FreshchatError.
 */
import type { Account } from '../account.js';
import { FreshchatError } from '../errors.js';
import {
  decodeAgent,
  decodeAgentList,
  decodeConfiguration,
  decodeGroupList,
  decodeRoleList,
  decodeUser,
  decodeUserList,
} from './decode.js';
import type { Decoder } from './decode.js';
import { createTransport } from './transport.js';
import type { ClientOptions, Query } from './transport.js';
import type * as Freshchat from './types.js';

export type { AttemptInfo, ClientOptions } from './transport.js';

export interface FreshchatClient {
  readonly account: Account;
  /** A filter matching nothing gives an empty page, although Freshchat answers it with 404 (§8.8). */
  listAgents(query: Freshchat.AgentListQuery, page: Freshchat.PageQuery): Promise<Freshchat.AgentList>;
  getAgent(id: string): Promise<Freshchat.Agent | null>;
  listGroups(page: Freshchat.PageQuery): Promise<Freshchat.GroupList>;
  listRoles(page: Freshchat.PageQuery): Promise<Freshchat.RoleList>;
  /** Without a filter, lists every contact (the client supplies Freshchat's mandatory filter). */
  listUsers(query: Freshchat.UserListQuery, page: Freshchat.PageQuery): Promise<Freshchat.UserList>;
  getUser(id: string): Promise<Freshchat.User | null>;
  getAccountConfiguration(): Promise<Freshchat.AccountConfiguration>;
}

/**
 * `GET /users` fails without at least one filter (§8.1). Every contact was created after the epoch,
 * so this filter lists them all (PostHog uses 2000-01-01, which would miss nothing in practice either).
 */
export const ALL_USERS_FILTER: Readonly<Freshchat.UserListQuery> = Object.freeze({
  created_from: '1970-01-01T00:00:00.000Z',
});

type Get = <T>(path: string, decode: Decoder<T>, query?: Query) => Promise<T>;

export function createFreshchatClient(options: ClientOptions): FreshchatClient {
  const send = createTransport(options);
  // Every read is a GET, so every read is idempotent and may be retried. Writes (to come) are sent with
  // `idempotent: false` unless Freshchat documents the endpoint as idempotent: then they go out at
  // most once; the quota, concurrency limit and breakers may delay or refuse them, never repeat them.
  const get: Get = (path, decode, query) => send({ method: 'GET', path, query, idempotent: true, decode });
  return {
    account: options.account,
    listAgents: (query, page) => listAgents(get, query, page),
    getAgent: (id) => getById(get, '/agents', id, decodeAgent),
    listGroups: (page) => get('/groups', decodeGroupList, { ...page }),
    listRoles: (page) => get('/roles', decodeRoleList, { ...page }),
    listUsers: (query, page) => get('/users', decodeUserList, { ...withUserFilter(query), ...page }),
    getUser: (id) => getById(get, '/users', id, decodeUser),
    getAccountConfiguration: () => get('/accounts/configuration', decodeConfiguration),
  };
}

async function listAgents(
  get: Get,
  query: Freshchat.AgentListQuery,
  page: Freshchat.PageQuery,
): Promise<Freshchat.AgentList> {
  try {
    return await get('/agents', decodeAgentList, { ...query, ...page });
  } catch (error) {
    // Freshchat answers a filter that matches no agent with 404 instead of an empty list (§8.8).
    if (isNotFound(error) && hasFilter(query)) return emptyAgentList(page);
    throw error;
  }
}

function emptyAgentList(page: Freshchat.PageQuery): Freshchat.AgentList {
  return {
    agents: [],
    pagination: {
      total_items: 0,
      total_pages: 0,
      current_page: page.page,
      items_per_page: page.items_per_page,
    },
  };
}

function withUserFilter(query: Freshchat.UserListQuery): Freshchat.UserListQuery {
  return hasFilter(query) ? query : { ...query, ...ALL_USERS_FILTER };
}

/** A missing object is `null`, not an error. */
async function getById<T>(get: Get, collection: string, id: string, decode: Decoder<T>): Promise<T | null> {
  const segment = toPathSegment(id);
  if (segment === undefined) return null;
  try {
    return await get(`${collection}/${segment}`, decode);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * Ids are opaque (webhook ids are not UUIDs), so they are percent-encoded. '', '.' and '..' cannot
 * be sent as a segment at all: URL parsing would turn them into another path (even as %2E%2E),
 * so no object can have them.
 */
export function toPathSegment(id: string): string | undefined {
  if (id === '' || id === '.' || id === '..') return undefined;
  return encodeURIComponent(id);
}

function hasFilter(query: object): boolean {
  return Object.values(query).some((value) => value !== undefined);
}

function isNotFound(error: unknown): boolean {
  return error instanceof FreshchatError && error.kind === 'NOT_FOUND';
}
