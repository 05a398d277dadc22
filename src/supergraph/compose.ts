import { composeServices } from '@apollo/composition';
import { printSchema } from '@apollo/federation-internals';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';

/** One subgraph as composition sees it: its SDL, and where the gateway will find it. */
export interface SubgraphDefinition {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

export interface Supergraph {
  /** Input of `@apollo/gateway` (static `supergraphSdl`) and of the query planner. */
  supergraphSdl: string;
  /** What clients see, as SDL: the input of relay-compiler and client codegen. */
  apiSchemaSdl: string;
  /**
   * The API schema as graphql-js objects, built by the composition library's own `graphql` instance:
   * hand it to libraries (codegen plugins), not to a `graphql` imported elsewhere, which under a
   * bundler may be another copy ("Cannot use GraphQLSchema from another module or realm").
   */
  apiSchema: GraphQLSchema;
  /** Composition hints, e.g. descriptions that differ between subgraphs. */
  hints: string[];
}

export class CompositionError extends Error {
  constructor(readonly errors: readonly GraphQLError[]) {
    super(`composition failed:\n${errors.map((e) => `- [${String(e.extensions.code)}] ${e.message}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/** Composes the subgraphs with the same library version the gateway runs; throws on any error. */
export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): Supergraph {
  const result = composeServices(subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs })));
  if (result.errors) throw new CompositionError(result.errors);
  const api = result.schema.toAPISchema();
  return {
    supergraphSdl: result.supergraphSdl,
    apiSchemaSdl: printSchema(api),
    apiSchema: api.toGraphQLJSSchema(),
    hints: result.hints.map((hint) => `[${hint.definition.code}] ${hint.message}`),
  };
}
