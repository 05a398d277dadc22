import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ResolverMap } from '../resolver-map.js';
import { GraphQLError, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { fromGlobalId } from '../contract/index.js';

/**
 * The node-router subgraph (docs/supergraph.md#the-node-router): Federation has no Relay `node`, so one
 * tiny subgraph owns `Query.node`/`Query.nodes` for the whole supergraph. It reads the typename out of a
 * global id and answers a `{ __typename, id }` stub; every Node type is declared here with
 * `@key(fields: "id", resolvable: false)`, so the router fetches the requested fields from the owning
 * subgraph through `_entities`. It knows no provider, only the id format and the typenames it is given.
 */
export interface NodeStub {
  __typename: string;
  id: string;
}

/** More ids than a page of any connection is a client bug, not a refetch; it would fan out unbounded. */
export const MAX_NODES = 100;

export function nodeRouterTypeDefs(typenames: readonly string[]): DocumentNode {
  // No descriptions on the stubs: the owning subgraph documents its types, and two would clash.
  const stubs = typenames.map((name) => `type ${name} implements Node @key(fields: "id", resolvable: false) {\n  id: ID!\n}`);
  return parse(`
extend schema @link(url: "https://specs.apollo.dev/federation/v2.14", import: ["@key"])

"""
An object with a globally unique, opaque id that can be refetched with \`node(id:)\`
(Relay Global Object Identification).
"""
interface Node {
  "Opaque global id, stable across requests; the provider's own id is \`remoteId\`."
  id: ID!
}

type Query {
  "Refetches any object of any helpdesk by its global id; null when the id is malformed or of an unknown type."
  node(id: ID!): Node
  "Refetches objects by global id, in the order given (at most ${MAX_NODES}); null for each malformed or unknown id."
  nodes(ids: [ID!]!): [Node]!
}

${stubs.join('\n\n')}
`);
}

/** The stub the router completes from the owning subgraph; null when no declared type owns the id. */
export function toNodeStub(id: string, typenames: ReadonlySet<string>): NodeStub | null {
  const parts = fromGlobalId(id);
  return parts !== null && typenames.has(parts.typename) ? { __typename: parts.typename, id } : null;
}

export function createNodeRouterSchema(typenames: readonly string[]): GraphQLSchema {
  const known = new Set(typenames);
  const resolvers = {
    Query: {
      node: (_: unknown, { id }: { id: string }) => toNodeStub(id, known),
      nodes(_: unknown, { ids }: { ids: string[] }) {
        if (ids.length > MAX_NODES) {
          throw new GraphQLError(`\`ids\` holds ${ids.length} ids; at most ${MAX_NODES} are allowed.`, {
            extensions: { code: 'BAD_USER_INPUT', argument: 'ids', max: MAX_NODES },
          });
        }
        return ids.map((id) => toNodeStub(id, known));
      },
    },
    Node: { __resolveType: (stub: NodeStub) => stub.__typename },
  };
  return buildSubgraphSchema([{ typeDefs: nodeRouterTypeDefs(typenames), resolvers: resolvers as ResolverMap }]);
}
