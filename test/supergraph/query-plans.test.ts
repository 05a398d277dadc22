import { Kind, parse, valueFromASTUntyped, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { NODE_TYPENAMES } from '../../src/resources/index.js';
import { composeSupergraph } from '../../src/supergraph/compose.js';
import { CROSS_HELPDESK_QUERY, NODE_REFETCH_QUERY } from '../../src/supergraph/examples.js';
import { DEFAULT_URLS, helpdeskSubgraphs } from '../../src/supergraph/subgraphs.js';
import { TICKETS_TYPE_DEFS } from '../fixtures/tickets/index.js';
import { createPlanner, fetchesOf } from './support.js';

// The plans the gateway would run, for the helpdesk supergraph plus a tickets subgraph that references
// agents by key: what matters is where each fetch goes, never which fields it asks.
const tickets = { name: 'tickets', url: 'http://localhost:4004/graphql', typeDefs: TICKETS_TYPE_DEFS };
const { supergraphSdl } = composeSupergraph(helpdeskSubgraphs(DEFAULT_URLS, [tickets]));
const plan = createPlanner(supergraphSdl);
const subgraphsOf = (query: string): string[] => [...new Set(fetchesOf(plan(query)).map((f) => f.subgraph))].sort();

const FRESHCHAT_TYPES: readonly string[] = NODE_TYPENAMES;

describe('query plans', () => {
  it.each([
    ['agents with role and groups', '{ freshchat { ticketingUsers(first: 5) { nodes { name role { name } groups { nodes { name } } } } } }'],
    ['agents through the HelpdeskTicketingUser interface', '{ freshchat { ticketingUsers { edges { cursor node { ... on HelpdeskTicketingUser { id name } } } pageInfo { endCursor } } } }'],
    ['filtered contacts', '{ freshchat { users(first: 3, filter: { email: "a@b.c" }) { totalCount nodes { ... on FreshchatUser { restoreId } } } } }'],
    ['group and role members', '{ freshchat { groups { nodes { members(first: 2) { nodes { name } } } } roles { nodes { members { totalCount } } } } }'],
    ['typed lookups', 'query ($id: ID!) { freshchat { ticketingUser(id: $id) { name role { members { totalCount } } } user(id: $id) { name } } }'],
    ['node and nodes inside the namespace', 'query ($id: ID!) { freshchat { node(id: $id) { id ... on HelpdeskGroup { name } } nodes(ids: [$id]) { ... on HelpdeskTicketingUser { name } } } }'],
  ])('keeps freshchat { %s } inside the freshchat subgraph', (_name, query) => {
    expect(fetchesOf(plan(query))).toEqual([{ subgraph: 'freshchat', entityTypes: [] }]);
  });

  it('reads both helpdesks of the cross-helpdesk query in one root fetch each', () => {
    expect(fetchesOf(plan(CROSS_HELPDESK_QUERY)).sort((a, b) => a.subgraph.localeCompare(b.subgraph))).toEqual([
      { subgraph: 'exampledesk', entityTypes: [] },
      { subgraph: 'freshchat', entityTypes: [] },
    ]);
  });

  it.each([
    ['node(id:) refetch', NODE_REFETCH_QUERY],
    ['nodes(ids:) on every Node type', 'query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on HelpdeskUser { name } ... on HelpdeskGroup { name } ... on HelpdeskRole { name } ... on HelpdeskTicketingUser { name } } }'],
    ['ticket assignees', '{ tickets { subject assignee { id ... on HelpdeskTicketingUser { name role { name } } ... on FreshchatTicketingUser { routingType } } } }'],
  ])('sends _entities for Freshchat types only to the freshchat subgraph: %s', (_name, query) => {
    const entityFetches = fetchesOf(plan(query)).filter((fetch) => fetch.entityTypes.length > 0);
    const freshchatFetches = entityFetches.filter((fetch) => fetch.entityTypes.some((t) => FRESHCHAT_TYPES.includes(t)));
    expect(freshchatFetches.length).toBeGreaterThan(0);
    for (const fetch of freshchatFetches) {
      expect(fetch.subgraph).toBe('freshchat');
      expect(fetch.entityTypes.every((t) => FRESHCHAT_TYPES.includes(t))).toBe(true);
    }
    expect(entityFetches.filter((fetch) => fetch.subgraph === 'freshchat')).toEqual(freshchatFetches);
  });

  it('starts node(id:) at the node-router and jumps to each helpdesk once', () => {
    expect(subgraphsOf(NODE_REFETCH_QUERY)).toEqual(['exampledesk', 'freshchat', 'node-router']);
    expect(fetchesOf(plan(NODE_REFETCH_QUERY)).map((f) => f.subgraph)).toHaveLength(3);
  });

  it('gives only the freshchat subgraph a resolvable key for Freshchat types', () => {
    const graphs = resolvableKeyGraphs(supergraphSdl);
    for (const typename of FRESHCHAT_TYPES) expect(graphs.get(typename), typename).toEqual(['FRESHCHAT']);
    expect(graphs.get('ExampleDeskTicketingUser')).toEqual(['EXAMPLEDESK']);
  });
});

/** typename → the join__Graph values that can resolve it by key (`@join__type(key:, resolvable: true)`). */
function resolvableKeyGraphs(supergraphSdl: string): Map<string, string[]> {
  const types = parse(supergraphSdl).definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION);
  const graphsOf = (type: ObjectTypeDefinitionNode): string[] =>
    (type.directives ?? [])
      .filter((directive) => directive.name.value === 'join__type')
      .map((directive) => Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)])))
      .filter((args) => args.key !== undefined && args.resolvable !== false)
      .map((args) => String(args.graph));
  return new Map(types.map((type) => [type.name.value, graphsOf(type)]));
}
