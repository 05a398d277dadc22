import { ApolloServer } from '@apollo/server';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
// The same graphql-js instance as the subgraph schema's (the alias in vitest.config.ts).
import { getOperationAST, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { walkOperation } from '../../src/hardening/operation-walk.js';
import { createOperationLimits } from '../../src/hardening/limits.js';
import { createSchema } from '../../src/schema.js';
import { globalId } from '../support/harness.js';
import { startHardened, type HardenedHarness } from './harness.js';

/**
 * Measures what a router really sends this subgraph: a second subgraph (`tickets`) references our
 * entities, `@apollo/gateway` plans client operations over both, and every fetch it makes to us is
 * recorded, run, then measured with the server's own depth rule and cost model. docs/hardening.md
 * quotes these figures; the defaults (depth 12, cost 50,000) must accept every one of them.
 */
const TICKETS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.14", import: ["@key"])
  type Query { tickets: [ProductTicket!]! }
  type ProductTicket @key(fields: "id") { id: ID! assignee: FreshchatTicketingUser team: FreshchatGroup }
  type FreshchatTicketingUser @key(fields: "id", resolvable: false) { id: ID! }
  type FreshchatGroup @key(fields: "id", resolvable: false) { id: ID! }
`;

const CLIENT_OPERATIONS: Record<string, string> = {
  // The brief's root example: groups → members → role → members, every connection at its default 20.
  rootRoleMembers: `{ freshchat { groups { edges { node { members { edges { node { role { members { edges { node { name } } } } } } } } } } } }`,
  // Through an entity: _entities → FreshchatTicketingUser → groups → … → role → members → … → name.
  entityRoleMembers: `{ tickets { assignee { groups { edges { node { members { edges { node { role { members { edges { node { name } } } } } } } } } } } } }`,
  entityGroupsMembers: `{ tickets { id assignee { name role { name } groups { edges { node { name members { edges { node { name isActive } } } } } } } } }`,
  entityTeamMembersPaged: `{ tickets { team { name members(first: 100) { totalCount pageInfo { hasNextPage endCursor } nodes { name emails { address } role { name } } } } } }`,
};

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const defaults = loadConfig({}).hardening.limits;
const schema = createSchema();

interface Recorded {
  query: string;
  variables: Record<string, unknown>;
}

describe('operations a router sends to this subgraph', () => {
  let h: HardenedHarness;
  let gateway: ApolloServer;
  const recorded: Recorded[] = [];

  beforeAll(async () => {
    h = await startHardened({ logLevel: 'silent' });
    const { agents, groups } = h.sandboxes.a.dataset;
    const tickets = [0, 1].map((i) => ({ id: `t${i}`, assignee: { id: globalId('FreshchatTicketingUser', agents[i]!.id, 'a') }, team: { id: globalId('FreshchatGroup', groups[i]!.id, 'a') } }));
    const ticketsSchema = buildSubgraphSchema([{ typeDefs: parse(TICKETS_SDL), resolvers: { Query: { tickets: () => tickets } } }]);
    const ours = await h.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    gateway = new ApolloServer({ gateway: createGateway(ours.data!._service.sdl, h.url, ticketsSchema, recorded), logger: silent });
    await gateway.start();
  });
  afterAll(async () => {
    await gateway.stop();
    await h.close();
  });

  it.each(Object.entries(CLIENT_OPERATIONS))('serves %s through the gateway within the default limits', async (_name, query) => {
    recorded.length = 0;
    const result = await gateway.executeOperation({ query });
    expect(result.body.kind === 'single' && result.body.singleResult.errors).toBeUndefined();
    expect(recorded).toHaveLength(1);
    const [fetch] = recorded;
    expect(depthOf(fetch!.query)).toBeLessThanOrEqual(defaults.maxDepth);
    expect(costOf(fetch!)).toBeLessThanOrEqual(defaults.maxCost);
  });

  it('measures the figures docs/hardening.md quotes', async () => {
    const figures: Record<string, { depth: number; cost: number }> = {};
    for (const [name, query] of Object.entries(CLIENT_OPERATIONS)) {
      recorded.length = 0;
      await gateway.executeOperation({ query });
      figures[name] = { depth: depthOf(recorded[0]!.query), cost: costOf(recorded[0]!) };
    }
    expect(figures).toEqual({
      rootRoleMembers: { depth: 12, cost: 17_662 },
      entityRoleMembers: { depth: 12, cost: 2 * 17_662 },
      entityGroupsMembers: { depth: 8, cost: 2 * (1 + 1 + 1 + 20 * (1 + 1 + 1 + 20 * 2)) },
      entityTeamMembersPaged: { depth: 5, cost: 2 * (1 + 1 + 1 + 100 * (1 + 1 + 1)) },
    });
  });
});

function createGateway(sdl: string, url: string, tickets: ReturnType<typeof buildSubgraphSchema>, recorded: Recorded[]): ApolloGateway {
  const composed = composeServices([
    { name: 'freshchat', url, typeDefs: parse(sdl) },
    { name: 'tickets', url: 'http://tickets.invalid/graphql', typeDefs: parse(TICKETS_SDL) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  return new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    logger: silent,
    buildService: ({ name, url: serviceUrl }) =>
      name === 'tickets'
        ? new LocalGraphQLDataSource(tickets)
        : new RemoteGraphQLDataSource({
            url: serviceUrl,
            willSendRequest: ({ request }) => void recorded.push({ query: request.query ?? '', variables: request.variables ?? {} }),
          }),
  });
}

/** The smallest maxDepth under which the server's own validation rules accept `query`. */
function depthOf(query: string): number {
  const document: DocumentNode = parse(query);
  for (let depth = 1; depth <= 50; depth += 1) {
    const { validationRules } = createOperationLimits({ ...defaults, maxDepth: depth });
    if (validate(schema, document, validationRules).length === 0) return depth;
  }
  throw new Error('deeper than 50');
}

function costOf({ query, variables }: Recorded): number {
  const document = parse(query);
  return walkOperation({ schema, operation: getOperationAST(document)!, fragments: {}, variables, pageSize: 50 }).cost;
}
