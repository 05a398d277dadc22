/**
 * The operations `npm run supergraph` prints and docs/supergraph.md shows; the tests run both.
 */

/** One request, two helpdesks: each namespace lists its agents, read through the shared interface. */
export const CROSS_HELPDESK_QUERY = `query Agents {
  freshchat { ticketingUsers(first: 2) { nodes { ...Agent } } }
  exampleDesk { ticketingUsers(first: 2) { nodes { ...Agent } } }
}

fragment Agent on HelpdeskTicketingUser {
  __typename
  id
  name
  isActive
  role { name }
  ... on FreshchatTicketingUser { routingType }
  ... on ExampleDeskTicketingUser { level }
}`;

/** Relay refetch: the node-router reads the typename off the id, the owning subgraph does the rest. */
export const NODE_REFETCH_QUERY = `query Refetch($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on HelpdeskTicketingUser { name role { name } groups(first: 5) { nodes { name } } }
  }
}`;
