import { graphql } from './graphql.js';

/** One agent of any helpdesk: read through the contract's TicketingUser interface. */
export const AgentCard_agent = graphql`
  fragment AgentCard_agent on HelpdeskTicketingUser {
    id
    name
    isActive
    role {
      name
    }
    ... on FreshchatTicketingUser {
      routingType
    }
    ... on ExampleDeskTicketingUser {
      level
    }
  }
`;
