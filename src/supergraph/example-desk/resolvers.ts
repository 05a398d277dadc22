import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { connectionScope } from '../../relay/cursor.js';
import { toConnection, toSlice, toWindow, type Connection, type ConnectionArgs } from '../../relay/connection.js';
import { ACCOUNT_ID, type ExampleDeskAgentModel, type ExampleDeskData, type ExampleDeskModel } from './data.js';

/** The same Relay connection algorithm as Freshchat, over lists already in memory. */
function page<T>(list: readonly T[], args: ConnectionArgs, connection: string): Connection<T> {
  const scope = connectionScope(ACCOUNT_ID, connection);
  // In memory, so no cursor this desk minted points past its list.
  const slice = toSlice(args, scope, list.length);
  const window = toWindow(slice, list.length);
  return toConnection(list.slice(window.start, window.end), window, slice, list.length, scope);
}

type Parent = { remoteId: string };

export function exampleDeskResolvers(data: ExampleDeskData): GraphQLResolverMap<unknown> {
  const byTypename = { __resolveType: (model: ExampleDeskModel) => model.__typename };
  return {
    Query: { exampleDesk: () => ({}) },
    ExampleDeskQuery: {
      users: (_: unknown, args: ConnectionArgs) => page(data.users, args, 'users'),
      groups: (_: unknown, args: ConnectionArgs) => page(data.groups, args, 'groups'),
      roles: (_: unknown, args: ConnectionArgs) => page(data.roles, args, 'roles'),
      ticketingUsers: (_: unknown, args: ConnectionArgs) => page(data.agents, args, 'ticketingUsers'),
    },
    ...entityResolvers(data),
    Node: byTypename,
    User: byTypename,
    Group: byTypename,
    Role: byTypename,
    TicketingUser: byTypename,
  };
}

function entityResolvers(data: ExampleDeskData): GraphQLResolverMap<unknown> {
  const byId = new Map<string, ExampleDeskModel>([...data.roles, ...data.groups, ...data.agents, ...data.users].map((m) => [m.id, m]));
  // `_entities`: a foreign, unknown or other-type id resolves to null, never to another record.
  const reference = (typename: ExampleDeskModel['__typename']) => (ref: { id: string }) => {
    const model = byId.get(ref.id);
    return model?.__typename === typename ? model : null;
  };
  const members = (keep: (agent: ExampleDeskAgentModel) => boolean, args: ConnectionArgs, connection: string) =>
    page(data.agents.filter(keep), args, connection);
  return {
    ExampleDeskUser: { __resolveReference: reference('ExampleDeskUser') },
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
