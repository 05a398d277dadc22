import type * as Freshchat from './types.js';

/** Unified filters in Freshchat's query vocabulary (freshchat-api.md §4.1, §4.4). */

export interface AgentFilter {
  groupRemoteId?: string | null;
  isActive?: boolean | null;
  availability?: Freshchat.AvailabilityStatus | null;
}

export function toAgentQuery(filter: AgentFilter): Freshchat.AgentListQuery {
  const query: Freshchat.AgentListQuery = {};
  if (filter.groupRemoteId != null) query.groups = filter.groupRemoteId;
  if (filter.isActive != null) query.is_deactivated = !filter.isActive;
  if (filter.availability != null) query.availability_status = filter.availability;
  return query;
}

export interface ContactFilter {
  email?: string | null;
  externalId?: string | null;
  createdAfter?: string | null;
  createdBefore?: string | null;
  updatedAfter?: string | null;
  updatedBefore?: string | null;
}

/** The client adds Freshchat's mandatory filter itself when this comes out empty. */
export function toUserQuery(filter: ContactFilter): Freshchat.UserListQuery {
  const query: Freshchat.UserListQuery = {};
  if (filter.email != null) query.email = filter.email;
  if (filter.externalId != null) query.reference_id = filter.externalId;
  if (filter.createdAfter != null) query.created_from = filter.createdAfter;
  if (filter.createdBefore != null) query.created_to = filter.createdBefore;
  if (filter.updatedAfter != null) query.updated_from = filter.updatedAfter;
  if (filter.updatedBefore != null) query.updated_to = filter.updatedBefore;
  return query;
}
