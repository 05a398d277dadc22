import { graphql } from './graphql.js';

/** The page that shows one group, by the global id in its route. */
export const GroupPageQuery = graphql`
  query GroupPageQuery($id: ID!) {
    node(id: $id) {
      # @alias: the id may name any Node type; the fragment reference is null unless it is a FreshchatGroup.
      ...GroupMembers_group @alias
    }
  }
`;
