import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ResolverMap } from './resolver-map.js';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';
import { freshchatTypeDefs } from './type-defs.js';

export function createSchema(): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: freshchatTypeDefs(), resolvers: resolvers as ResolverMap }]);
}
