import { graphql } from './graphql.js';

/**
 * A `@refetchable` fragment on a Freshchat type with a nested connection (usePaginationFragment on a
 * group's members). Relay refetches it as `node(id: $id) { ...GroupMembers_group }`, so it needs a
 * root `Query.node` that reaches Freshchat types: the node-router's.
 */
export const GroupMembers_group = graphql`
  fragment GroupMembers_group on FreshchatGroup
  @refetchable(queryName: "GroupMembersPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 20 }, cursor: { type: "String" }) {
    name
    routingType
    members(first: $count, after: $cursor) @connection(key: "GroupMembers_members") {
      totalCount
      edges {
        node {
          ...AgentCard_agent
        }
      }
    }
  }
`;
