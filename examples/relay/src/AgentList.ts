import { graphql } from './graphql.js';

/** The agents page: loads the first page of agents; AgentList_query pages on from there. */
export const AgentListQuery = graphql`
  query AgentListQuery {
    ...AgentList_query
  }
`;

/**
 * usePaginationFragment over a root connection: `@refetchable` on a fragment on Query, `@connection`
 * on the namespaced list. Relay walks `freshchat` (no id) to reach it; the refetch query starts at Query.
 */
export const AgentList_query = graphql`
  fragment AgentList_query on Query
  @refetchable(queryName: "AgentListPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 20 }
    cursor: { type: "String" }
    filter: { type: "FreshchatTicketingUserFilter" }
  ) {
    freshchat {
      ticketingUsers(first: $count, after: $cursor, filter: $filter) @connection(key: "AgentList_ticketingUsers", filters: ["filter"]) {
        totalCount
        edges {
          node {
            id
            ...AgentCard_agent
          }
        }
      }
    }
  }
`;
