/** The benchmark's scenarios: one query text per variant kind, and the minimal upstream calls. */
import { toGlobalId } from '../src/relay/ids.js';

export type Variant = 'ours' | 'naive' | 'oracle' | 'bare';

export interface Ids { agents: string[]; groups: string[] }

export interface Scenario {
  name: string;
  /** Upstream calls of the minimal plan with the catalogs (roles, groups) warm. */
  minimalCalls: number;
  /** Upstream round trips one after another on the minimal plan: latency floor = depth × latency. */
  depth: number;
  /** The request body per variant; a variant without one does not run this scenario. */
  body: Partial<Record<Variant, (ids: Ids) => unknown>>;
}

const ACCOUNT_ID = 'bench';
const agentGid = (remoteId: string) => toGlobalId({ provider: 'freshchat', typename: 'FreshchatTicketingUser', accountId: ACCOUNT_ID, remoteId });
const gql = (query: string, variables?: Record<string, unknown>) => ({ query, variables });

export const FANOUT = `{ freshchat { ticketingUsers(first: 50) { edges { node { id name role { name } groups(first: 10) { edges { node { name } } } } } } } }`;
export const SIMPLE = `{ freshchat { groups(first: 5) { totalCount edges { node { id name } } } } }`;
const GROUPS_MEMBERS = `{ freshchat { groups(first: 12) { edges { node { name members(first: 5) { totalCount edges { node { name } } } } } } } }`;
const AGENT = `query Agent($id: ID!) { freshchat { ticketingUser(id: $id) { id name } } }`;
const ENTITIES = `query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatTicketingUser { id name } } }`;
export const CONTACTS_PAGE = `query Contacts($after: String) { freshchat { users(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id name } } } } }`;

export const SCENARIOS: Scenario[] = [
  {
    name: 'one agent by id',
    minimalCalls: 1,
    depth: 1,
    body: {
      ours: (ids) => gql(AGENT, { id: agentGid(ids.agents[7]!) }),
      naive: (ids) => gql(AGENT, { id: ids.agents[7]! }),
      bare: (ids) => gql(AGENT, { id: ids.agents[7]! }),
      oracle: (ids) => ({ scenario: 'agentById', arg: { id: ids.agents[7]! } }),
    },
  },
  {
    name: 'fan-out: ticketingUsers(first: 50) + role + groups(first: 10)',
    minimalCalls: 1,
    depth: 1,
    body: { ours: () => gql(FANOUT), naive: () => gql(FANOUT), bare: () => gql(FANOUT), oracle: () => ({ scenario: 'fanout' }) },
  },
  {
    name: 'simple: groups(first: 5)',
    minimalCalls: 0,
    depth: 0,
    body: { ours: () => gql(SIMPLE), naive: () => gql(SIMPLE), bare: () => gql(SIMPLE), oracle: () => ({ scenario: 'simple' }) },
  },
  {
    name: '12 groups × members(first: 5)',
    minimalCalls: 12,
    depth: 1,
    body: { ours: () => gql(GROUPS_MEMBERS), naive: () => gql(GROUPS_MEMBERS), bare: () => gql(GROUPS_MEMBERS), oracle: () => ({ scenario: 'groupsMembers' }) },
  },
  {
    // 100 agents of a 150-agent account: the whole list in 3 pages beats 100 single reads.
    name: '_entities: 100 agent representations',
    minimalCalls: 3,
    depth: 2,
    body: {
      ours: (ids) => gql(ENTITIES, { r: ids.agents.slice(0, 100).map((id) => ({ __typename: 'FreshchatTicketingUser', id: agentGid(id) })) }),
      oracle: () => ({ scenario: 'entities' }),
    },
  },
];
