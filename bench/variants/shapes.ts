/**
 * The schema shapes the benchmark queries, for the bare (d) and naive (b) variants: the same field
 * names as the subgraph's, so one query text serves every variant, without federation, global ids,
 * cursors scoped by hash, limits or any of the subgraph's machinery.
 */
export const SHAPES_SDL = /* GraphQL */ `
  type Query { freshchat(accountId: ID): FreshchatQuery }
  type FreshchatQuery {
    ticketingUsers(first: Int, after: String): TicketingUserConnection
    ticketingUser(id: ID!): TicketingUser
    groups(first: Int, after: String): GroupConnection
  }
  type PageInfo { hasNextPage: Boolean!, endCursor: String }
  type TicketingUserConnection { totalCount: Int!, edges: [TicketingUserEdge!]!, nodes: [TicketingUser!]!, pageInfo: PageInfo! }
  type TicketingUserEdge { cursor: String!, node: TicketingUser! }
  type TicketingUser { id: ID!, name: String, role: Role, groups(first: Int, after: String): GroupConnection }
  type Role { id: ID!, name: String }
  type GroupConnection { totalCount: Int!, edges: [GroupEdge!]!, nodes: [Group!]!, pageInfo: PageInfo! }
  type GroupEdge { cursor: String!, node: Group! }
  type Group { id: ID!, name: String, members(first: Int, after: String): TicketingUserConnection }
`;

export interface Named { id: string; first_name?: string | null; last_name?: string | null; name?: string | null }

export const nameOf = (raw: Named): string | null =>
  raw.name ?? ([raw.first_name, raw.last_name].filter((p) => p != null && p !== '').join(' ') || null);

/** A plain offset connection: cursors are offsets, ids are Freshchat's. */
export function connection<T>(all: readonly T[], first: number | null | undefined, after: string | null | undefined, total = all.length) {
  const start = after == null ? 0 : Number(after) + 1;
  const items = all.slice(start, start + (first ?? 20));
  const edges = items.map((node, i) => ({ cursor: String(start + i), node }));
  return { totalCount: total, edges, nodes: items, pageInfo: { hasNextPage: start + items.length < total, endCursor: edges.at(-1)?.cursor ?? null } };
}
