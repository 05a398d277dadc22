import type { Resolvers } from '../__generated__/resolvers-types.js';

/** Every model carries its concrete __typename (mapped eagerly), so abstract types resolve from it. */
const byTypename = <T extends { __typename: string }>(model: T): T['__typename'] => model.__typename;

export const interfaces: Pick<Resolvers, 'Node' | 'User' | 'Group' | 'Role' | 'TicketingUser' | 'Ticket' | 'Comment'> = {
  Node: { __resolveType: byTypename },
  User: { __resolveType: byTypename },
  Group: { __resolveType: byTypename },
  Role: { __resolveType: byTypename },
  TicketingUser: { __resolveType: byTypename },
  Ticket: { __resolveType: byTypename },
  Comment: { __resolveType: byTypename },
};
