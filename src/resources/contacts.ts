/**
 * Freshchat contacts (`/v2/users`, docs/freshchat-api.md#contacts, docs/freshchat-api.md#contacts) as unified Users: the wire type,
 * decoding, mapping, list query and the per-request loaders, in one place.
 */
import { createPagedList, type PagedList, type ResourceDeps } from '../loaders/paged-list.js';
import type { UserModel } from '../models.js';
import { hasFilter, type FreshchatClient } from '../freshchat/client.js';
import { decoderOf, withId } from '../freshchat/decode.js';
import { idOf, personFields, text } from './fields.js';
import { pageDecoder, type Page, type PageQuery } from '../freshchat/page.js';
import type { Avatar, Links, Pagination, Person } from '../freshchat/wire.js';
import { decodeDeletion, objectPath, type DeleteOutcome } from './writes.js';

// ---- wire ----

export interface Property {
  name: string;
  value?: string | null;
}

/** docs/freshchat-api.md#contacts (a contact) */
export interface User extends Person {
  properties?: Property[] | null;
  reference_id?: string | null;
  restore_id?: string | null;
  org_contact_id?: string | null;
  updated_time?: string | null;
}

export interface UserList {
  users: User[];
  pagination: Pagination;
  links?: Links;
}

/** Query of GET /users (docs/freshchat-api.md#contacts); at least one filter is mandatory upstream. */
export type UserListQuery = {
  email?: string;
  reference_id?: string;
  created_from?: string;
  created_to?: string;
  updated_from?: string;
  updated_to?: string;
};

/** The body of `POST /users` and `PUT /users/{id}` (docs/freshchat-api.md#contacts); PUT takes a partial body. */
export interface UserWrite {
  email?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  avatar?: Avatar;
  reference_id?: string;
  properties?: { name: string; value: string }[];
}

/**
 * Our limits on a contact write, checked before sending (and enforced alike by the sandbox).
 * Freshchat publishes none; these are generous bounds on what its UI accepts, so an oversized value
 * is the caller's error, not an upstream 400 or 414.
 */
export const CONTACT_LIMITS = Object.freeze({
  email: 254,
  name: 255,
  phone: 32,
  referenceId: 255,
  avatarUrl: 2048,
  properties: 50,
  propertyName: 64,
  propertyValue: 1024,
});

/** Freshchat property names: a letter, then letters, digits and underscores (e.g. `orderId`, `cf_region`). */
export const PROPERTY_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export const decodeUser = decoderOf<User>(withId, 'a user');
const decodeUsers = pageDecoder<User>('users', 'a user list');

// ---- unified model ----

export function toUser(raw: User, accountId: string): UserModel {
  const phone = text(raw.phone);
  return {
    __typename: 'FreshchatUser',
    id: idOf('FreshchatUser', accountId, raw.id),
    accountId,
    ...personFields(raw),
    phones: phone === null ? [] : [{ number: phone, type: null }],
    externalId: text(raw.reference_id),
    customFields: (raw.properties ?? [])
      .filter((p) => typeof p?.name === 'string')
      .map((p) => ({ name: p.name, value: p.value ?? null })),
    updatedAt: text(raw.updated_time),
    restoreId: text(raw.restore_id),
    orgContactId: text(raw.org_contact_id),
  };
}

/** A contact write in unified terms; unset fields are left out of the body (unchanged on update). */
export interface ContactInput {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  externalId?: string | null;
  avatarUrl?: string | null;
  customFields?: readonly { name: string; value: string }[] | null;
}

export function toUserWrite(input: ContactInput): UserWrite {
  const body: UserWrite = {};
  if (input.email != null) body.email = input.email;
  if (input.firstName != null) body.first_name = input.firstName;
  if (input.lastName != null) body.last_name = input.lastName;
  if (input.phone != null) body.phone = input.phone;
  if (input.avatarUrl != null) body.avatar = { url: input.avatarUrl };
  if (input.externalId != null) body.reference_id = input.externalId;
  if (input.customFields != null) body.properties = input.customFields.map(({ name, value }) => ({ name, value }));
  return body;
}

// ---- filter ----

/** `FreshchatUserFilter`, instants already normalised by the DateTime scalar. */
export interface ContactFilter {
  email?: string | null;
  externalId?: string | null;
  createdAfter?: string | null;
  createdBefore?: string | null;
  updatedAfter?: string | null;
  updatedBefore?: string | null;
}

/** `listUsers` adds Freshchat's mandatory filter itself when this comes out empty. */
export function toUserQuery(filter: ContactFilter): UserListQuery {
  const query: UserListQuery = {};
  if (filter.email != null) query.email = filter.email;
  if (filter.externalId != null) query.reference_id = filter.externalId;
  if (filter.createdAfter != null) query.created_from = filter.createdAfter;
  if (filter.createdBefore != null) query.created_to = filter.createdBefore;
  if (filter.updatedAfter != null) query.updated_from = filter.updatedAfter;
  if (filter.updatedBefore != null) query.updated_to = filter.updatedBefore;
  return query;
}

// ---- endpoints ----

/**
 * `GET /users` fails without at least one filter (docs/freshchat-api.md#the-contact-list-needs-a-filter). Every contact was created after the epoch,
 * so this filter lists them all (PostHog uses 2000-01-01, which would miss nothing in practice either).
 */
export const ALL_USERS_FILTER: Readonly<UserListQuery> = Object.freeze({
  created_from: '1970-01-01T00:00:00.000Z',
});

/** Without a filter, lists every contact (Freshchat's mandatory filter supplied here). */
export function listUsers(client: FreshchatClient, query: UserListQuery, page: PageQuery): Promise<Page<User>> {
  return client.list('/users', decodeUsers, hasFilter(query) ? query : { ...query, ...ALL_USERS_FILTER }, page);
}

export const getUser = (client: FreshchatClient, id: string): Promise<User | null> => client.find('/users', id, decodeUser);

/** `POST /users`: the bare user object, with its new id. */
export const createUser = (client: FreshchatClient, body: UserWrite): Promise<User> => client.write('POST', '/users', body, decodeUser);

/** `PUT /users/{id}`: the updated user object. */
export const updateUser = async (client: FreshchatClient, id: string, body: UserWrite): Promise<User> =>
  client.write('PUT', objectPath('/users', id), body, decodeUser);

/** `DELETE /users/{id}` (a permanent, GDPR deletion); its answer is not documented: 202 is PENDING. */
export const deleteUser = async (client: FreshchatClient, id: string): Promise<DeleteOutcome> =>
  client.write('DELETE', objectPath('/users', id), undefined, decodeDeletion);

// ---- loaders ----

export type ContactLoaders = Omit<PagedList<UserModel, ContactFilter>, 'all'>;

export function createContactLoaders(deps: ResourceDeps): ContactLoaders {
  const { client } = deps;
  // No `all`: a contact list may hold millions; it is only ever paged.
  const { get, window, prime, forgetPages } = createPagedList(
    {
      name: 'users',
      toQuery: toUserQuery,
      unfiltered: {},
      fetchPage: (query, page) => listUsers(client, query, page),
      getOne: (id) => getUser(client, id),
      map: (raw: User) => toUser(raw, client.account.id),
    },
    deps,
  );
  return { get, window, prime, forgetPages };
}
