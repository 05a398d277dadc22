import { existsSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ResolverMap } from './resolver-map.js';
import type { GraphQLSchema } from 'graphql';
import { parse } from 'graphql';
import { resolvers } from './resolvers/index.js';

// src/ runs from the repo (tsx, vitest) or from dist/src/ (npm start); the SDL stays in schema/.
const schemaDir = (): URL => {
  const candidates = ['../schema/', '../../schema/'].map((path) => new URL(path, import.meta.url));
  return candidates.find((dir) => existsSync(new URL('contract.graphql', dir))) ?? candidates[0]!;
};

/** The SDL files, contract first: the one source of truth for the schema and the generated types. */
export function readTypeDefs(): string {
  return ['contract.graphql', 'freshchat.graphql'].map((file) => readFileSync(new URL(file, schemaDir()), 'utf8')).join('\n');
}

export function createSchema(): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: parse(readTypeDefs()), resolvers: resolvers as ResolverMap }]);
}
