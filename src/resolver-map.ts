import type { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode } from 'graphql';

/**
 * `@apollo/subgraph`'s resolver map type, read off its public `buildSubgraphSchema` signature: the
 * package's main entry does not export `GraphQLResolverMap`, and a `dist/` deep import breaks on
 * any internal move.
 */
type SubgraphModule = Exclude<Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number], DocumentNode>;
export type ResolverMap = NonNullable<SubgraphModule['resolvers']>;
