import type { Resolvers } from '../__generated__/resolvers-types.js';

/** Every model carries its concrete __typename (mapped eagerly), so abstract types resolve from it. */
const byTypename = <T extends { __typename: string }>(model: T): T['__typename'] => model.__typename;

export const interfaces: Pick<Resolvers, 'Node' | 'HelpdeskUser' | 'HelpdeskGroup' | 'HelpdeskRole' | 'HelpdeskTicketingUser' | 'HelpdeskTicket' | 'HelpdeskComment'> = {
  Node: { __resolveType: byTypename },
  HelpdeskUser: { __resolveType: byTypename },
  HelpdeskGroup: { __resolveType: byTypename },
  HelpdeskRole: { __resolveType: byTypename },
  HelpdeskTicketingUser: { __resolveType: byTypename },
  HelpdeskTicket: { __resolveType: byTypename },
  HelpdeskComment: { __resolveType: byTypename },
};
