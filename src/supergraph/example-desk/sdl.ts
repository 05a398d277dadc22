/**
 * The example desk's own layer: what a second helpdesk subgraph (Zendesk, Intercom, ...) adds beside
 * the verbatim contract. It follows the same rules as the Freshchat layer (docs/design.md#the-freshchat-layer): provider-owned
 * entity types with `@key(fields: "id")`, provider-only fields on the concrete types only, and a
 * namespaced root field so nothing collides with another helpdesk.
 */
export const EXAMPLE_DESK_LAYER = /* GraphQL */ `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.14", import: ["@key", "@shareable"])

type Query {
  """
  The example desk: a small in-memory helpdesk that stands in for a second provider. Nullable like
  every field that would need a provider call (contract v2): a failure nulls only its own field.
  """
  exampleDesk: ExampleDeskQuery
}

"Everything the example desk serves."
type ExampleDeskQuery {
  "Contacts, oldest first."
  users(first: Int, after: String, last: Int, before: String): HelpdeskUserConnection
  "Agent teams."
  groups(first: Int, after: String, last: Int, before: String): HelpdeskGroupConnection
  "Agent roles."
  roles(first: Int, after: String, last: Int, before: String): HelpdeskRoleConnection
  "Agents, oldest first."
  ticketingUsers(first: Int, after: String, last: Int, before: String): HelpdeskTicketingUserConnection
  "Every ticket, oldest first."
  tickets(first: Int, after: String, last: Int, before: String): HelpdeskTicketConnection
}

"An example desk contact."
type ExampleDeskUser implements Node & HelpdeskUser @key(fields: "id") {
  "Opaque global id."
  id: ID!
  "The example desk's id of the contact."
  remoteId: String!
  "Full display name."
  name: String
  "Given name."
  firstName: String
  "Family name."
  lastName: String
  "Email addresses, primary first."
  emails: [HelpdeskEmail!]!
  "Phone numbers."
  phones: [HelpdeskPhone!]!
  "URL of the avatar image."
  avatarUrl: String
  "Your own id for the contact."
  externalId: String
  "Custom properties."
  customFields: [HelpdeskCustomField!]!
  "When the contact was created."
  createdAt: DateTime
  "When the contact was last updated."
  updatedAt: DateTime
  "The raw record."
  remoteData: JSON
  "Example-desk-only: the contact's organisation."
  organization: String
  "The contact's tickets, oldest first."
  tickets(first: Int, after: String, last: Int, before: String): HelpdeskTicketConnection
}

"An example desk team."
type ExampleDeskGroup implements Node & HelpdeskGroup @key(fields: "id") {
  "Opaque global id."
  id: ID!
  "The example desk's id of the team."
  remoteId: String!
  "The team's name."
  name: String!
  "What the team is for."
  description: String
  "Every agent in the team."
  members(first: Int, after: String, last: Int, before: String): HelpdeskTicketingUserConnection
  "The raw record."
  remoteData: JSON
}

"An example desk role."
type ExampleDeskRole implements Node & HelpdeskRole @key(fields: "id") {
  "Opaque global id."
  id: ID!
  "The example desk's id of the role."
  remoteId: String!
  "The role's name."
  name: String!
  "What the role allows."
  description: String
  "True for a role the account defined."
  isCustom: Boolean
  "Every agent holding the role."
  members(first: Int, after: String, last: Int, before: String): HelpdeskTicketingUserConnection
  "The raw record."
  remoteData: JSON
}

"An example desk agent."
type ExampleDeskTicketingUser implements Node & HelpdeskTicketingUser @key(fields: "id") {
  "Opaque global id."
  id: ID!
  "The example desk's id of the agent."
  remoteId: String!
  "Full display name."
  name: String
  "Given name."
  firstName: String
  "Family name."
  lastName: String
  "Email addresses, primary first."
  emails: [HelpdeskEmail!]!
  "URL of the avatar image."
  avatarUrl: String
  "False once the agent is deactivated."
  isActive: Boolean!
  "Whether the agent can take work now."
  availability: HelpdeskAvailability
  "The agent's role."
  role: ExampleDeskRole
  "The teams the agent belongs to."
  groups(first: Int, after: String, last: Int, before: String): HelpdeskGroupConnection
  "IANA time zone."
  timezone: String
  "Preferred locale."
  locale: String
  "When the agent was created."
  createdAt: DateTime
  "The raw record."
  remoteData: JSON
  "Example-desk-only: the agent's seniority level, 1 to 3."
  level: Int
}

"An example desk ticket."
type ExampleDeskTicket implements Node & HelpdeskTicket @key(fields: "id") {
  "Opaque global id."
  id: ID!
  "The example desk's id of the ticket."
  remoteId: String!
  "The ticket's status."
  status: HelpdeskTicketStatus
  "The ticket's subject."
  subject: String
  "The customer."
  contact: ExampleDeskUser
  "The assigned agent."
  assignee: ExampleDeskTicketingUser
  "The assigned team."
  assignedGroup: ExampleDeskGroup
  "When the ticket was created."
  createdAt: DateTime
  "When the ticket last changed."
  updatedAt: DateTime
  "When the ticket was resolved."
  resolvedAt: DateTime
  "The ticket in the example desk's interface."
  url: String
  "The ticket's comments, oldest first, paged forward."
  comments(first: Int, after: String): HelpdeskCommentConnection
  "The raw record."
  remoteData: JSON
  "Example-desk-only: the ticket's priority."
  priority: String
}

"An example desk comment."
type ExampleDeskComment implements Node & HelpdeskComment @key(fields: "id") {
  "Opaque global id."
  id: ID!
  "The example desk's id of the comment."
  remoteId: String!
  "The comment's text."
  body: String
  "True for an internal note."
  isPrivate: Boolean!
  "Who wrote it."
  authorType: HelpdeskCommentAuthorType
  "The agent who wrote it."
  agent: ExampleDeskTicketingUser
  "The customer who wrote it."
  contact: ExampleDeskUser
  "When it was written."
  createdAt: DateTime
  "The raw record."
  remoteData: JSON
}
`;
