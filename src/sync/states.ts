/**
 * What the change log compares of each object (docs/sync.md): its unified fields, by their GraphQL
 * names, as plain JSON. A poll, a webhook or a write records a change only when this state differs
 * from the one kept in `sync_snapshots`, and `changedFields` are the names whose values differ.
 * Times that move on every edit (`updatedAt`) are left out: they say that something changed, not what.
 */
import { isDeepStrictEqual } from 'node:util';
import type { GroupModel, RoleModel, TicketingUserModel, TicketModel, UserModel } from '../models.js';

export type State = Readonly<Record<string, unknown>>;

/** Polled and written types, by their concrete typename. */
export type TrackedType = 'FreshchatTicketingUser' | 'FreshchatGroup' | 'FreshchatRole' | 'FreshchatUser' | 'FreshchatTicket';

/**
 * Set on an agent's state when this subgraph asked Freshchat to delete it: Freshchat deletes later,
 * and the poll that no longer finds the agent must not record the deletion a second time.
 */
export const PENDING_DELETION = 'pendingDeletion';

const sorted = (ids: Iterable<string>): string[] => [...new Set(ids)].sort();

export function agentState(agent: TicketingUserModel): State {
  return {
    name: agent.name,
    firstName: agent.firstName,
    lastName: agent.lastName,
    emails: agent.emails,
    avatarUrl: agent.avatarUrl,
    isActive: agent.isActive,
    availability: agent.availability,
    role: agent.roleRemoteId,
    groups: sorted(agent.groupRemoteIds),
    timezone: agent.timezone,
    locale: agent.locale,
    phone: agent.phone,
    biography: agent.biography,
    routingType: agent.routingType,
    agentStatus: agent.agentStatus,
  };
}

/** A group's members are the agents that list it (deactivated ones too, as `members` serves them). */
export function groupState(group: GroupModel, memberIds: Iterable<string>): State {
  return { name: group.name, description: group.description, routingType: group.routingType, members: sorted(memberIds) };
}

export function roleState(role: RoleModel, memberIds: Iterable<string>): State {
  return { name: role.name, description: role.description, isCustom: role.isCustom, members: sorted(memberIds) };
}

export function contactState(contact: UserModel): State {
  return {
    name: contact.name,
    firstName: contact.firstName,
    lastName: contact.lastName,
    emails: contact.emails,
    phones: contact.phones,
    avatarUrl: contact.avatarUrl,
    externalId: contact.externalId,
    customFields: [...contact.customFields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/**
 * What a conversation's webhooks speak of (status, assignment). Conversations are not polled: this
 * state only tells a webhook from the echo of a write through this subgraph.
 */
export function ticketState(ticket: Pick<TicketModel, 'status' | 'assigneeRemoteId' | 'groupRemoteId'>): State {
  return { status: ticket.status, assignee: ticket.assigneeRemoteId, assignedGroup: ticket.groupRemoteId };
}

/**
 * The names whose values differ, for the keys `next` has (a partial state, such as a webhook's
 * assignment or an availability write, compares only what it knows). Markers are not fields.
 */
export function changedFields(before: State, next: State): string[] {
  return Object.keys(next).filter((key) => key !== PENDING_DELETION && !sameValue(before[key], next[key]));
}

// Deep equality, not JSON text: jsonb hands objects back with their keys in its own order.
const sameValue = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a ?? null, b ?? null);

/** Members of each group and role, from the agents that name them (one agent walk, no call per group). */
export function memberships(agents: readonly TicketingUserModel[]): { groups: Map<string, string[]>; roles: Map<string, string[]> } {
  const groups = new Map<string, string[]>();
  const roles = new Map<string, string[]>();
  for (const agent of agents) {
    for (const group of agent.groupRemoteIds) groups.set(group, [...(groups.get(group) ?? []), agent.remoteId]);
    if (agent.roleRemoteId !== null) roles.set(agent.roleRemoteId, [...(roles.get(agent.roleRemoteId) ?? []), agent.remoteId]);
  }
  return { groups, roles };
}
