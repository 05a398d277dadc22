import { CONTRACT_INTERFACES } from '../../contract/index.js';
import type { ResolverMap } from '../../resolver-map.js';
import { connectionScope } from '../../relay/cursor.js';
import { toConnection, toSlice, toWindow, type Connection, type ConnectionArgs } from '../../relay/connection.js';
import { toForwardConnection, toForwardSlice, toForwardWindow } from '../../relay/forward.js';
import {
  ACCOUNT_ID,
  type ExampleDeskAgentModel,
  type ExampleDeskCommentModel,
  type ExampleDeskData,
  type ExampleDeskModel,
  type ExampleDeskTicketModel,
} from './data.js';

/** The same Relay connection algorithm as Freshchat, over lists already in memory. */
function page<T>(list: readonly T[], args: ConnectionArgs, connection: string): Connection<T> {
  const scope = connectionScope(ACCOUNT_ID, connection);
  // In memory, so no cursor this desk minted points past its list.
  const slice = toSlice(args, scope, list.length);
  const window = toWindow(slice, list.length);
  return toConnection(list.slice(window.start, window.end), window, slice, list.length, scope);
}

/** The forward-only comment connection of the contract (docs/design.md#conversations-and-messages), over a thread already in memory. */
function forwardPage<T>(list: readonly T[], args: ConnectionArgs, connection: string) {
  const scope = connectionScope(ACCOUNT_ID, connection);
  const slice = toForwardSlice(args, scope, list.length);
  return toForwardConnection(toForwardWindow(list, slice), slice, scope);
}

type Parent = { remoteId: string };

export function exampleDeskResolvers(data: ExampleDeskData): ResolverMap {
  const byTypename = { __resolveType: (model: ExampleDeskModel) => model.__typename };
  return {
    Query: { exampleDesk: () => ({}) },
    ExampleDeskQuery: {
      users: (_: unknown, args: ConnectionArgs) => page(data.users, args, 'users'),
      groups: (_: unknown, args: ConnectionArgs) => page(data.groups, args, 'groups'),
      roles: (_: unknown, args: ConnectionArgs) => page(data.roles, args, 'roles'),
      ticketingUsers: (_: unknown, args: ConnectionArgs) => page(data.agents, args, 'ticketingUsers'),
      tickets: (_: unknown, args: ConnectionArgs) => page(data.tickets, args, 'tickets'),
    },
    ...entityResolvers(data),
    ...Object.fromEntries(CONTRACT_INTERFACES.map((name) => [name, byTypename])),
  };
}

function entityResolvers(data: ExampleDeskData): ResolverMap {
  const all: ExampleDeskModel[] = [...data.roles, ...data.groups, ...data.agents, ...data.users, ...data.tickets, ...data.comments];
  const byId = new Map<string, ExampleDeskModel>(all.map((m) => [m.id, m]));
  const find = <T extends { remoteId: string }>(list: readonly T[], remoteId: string | null): T | null =>
    list.find((item) => item.remoteId === remoteId) ?? null;
  // `_entities`: a foreign, unknown or other-type id resolves to null, never to another record.
  const reference = (typename: ExampleDeskModel['__typename']) => (ref: { id: string }) => {
    const model = byId.get(ref.id);
    return model?.__typename === typename ? model : null;
  };
  const members = (keep: (agent: ExampleDeskAgentModel) => boolean, args: ConnectionArgs, connection: string) =>
    page(data.agents.filter(keep), args, connection);
  return {
    ExampleDeskUser: {
      __resolveReference: reference('ExampleDeskUser'),
      tickets: ({ remoteId }: Parent, args: ConnectionArgs) =>
        page(data.tickets.filter((t) => t.contactRemoteId === remoteId), args, `user:${remoteId}:tickets`),
    },
    ExampleDeskTicket: {
      __resolveReference: reference('ExampleDeskTicket'),
      contact: (ticket: ExampleDeskTicketModel) => find(data.users, ticket.contactRemoteId),
      assignee: (ticket: ExampleDeskTicketModel) => find(data.agents, ticket.assigneeRemoteId),
      assignedGroup: (ticket: ExampleDeskTicketModel) => find(data.groups, ticket.groupRemoteId),
      comments: ({ remoteId }: Parent, args: ConnectionArgs) =>
        forwardPage(data.comments.filter((c) => c.ticketRemoteId === remoteId), args, `ticket:${remoteId}:comments`),
    },
    ExampleDeskComment: {
      __resolveReference: reference('ExampleDeskComment'),
      agent: (comment: ExampleDeskCommentModel) => find(data.agents, comment.agentRemoteId),
      contact: (comment: ExampleDeskCommentModel) => find(data.users, comment.contactRemoteId),
    },
    ExampleDeskGroup: {
      __resolveReference: reference('ExampleDeskGroup'),
      members: ({ remoteId }: Parent, args: ConnectionArgs) => members((a) => a.groupRemoteIds.includes(remoteId), args, `group:${remoteId}:members`),
    },
    ExampleDeskRole: {
      __resolveReference: reference('ExampleDeskRole'),
      members: ({ remoteId }: Parent, args: ConnectionArgs) => members((a) => a.roleRemoteId === remoteId, args, `role:${remoteId}:members`),
    },
    ExampleDeskTicketingUser: {
      __resolveReference: reference('ExampleDeskTicketingUser'),
      role: (agent: ExampleDeskAgentModel) => data.roles.find((role) => role.remoteId === agent.roleRemoteId) ?? null,
      groups: (agent: ExampleDeskAgentModel, args: ConnectionArgs) =>
        page(data.groups.filter((g) => agent.groupRemoteIds.includes(g.remoteId)), args, `agent:${agent.remoteId}:groups`),
    },
  };
}
