/**
 * The schemas a supergraph pipeline and client tooling consume. Generated output: never committed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import { createNodeRouterSchema } from '../node-router/schema.js';
import { createSchema } from '../schema.js';
import { composeSupergraph } from './compose.js';
import { possibleTypesOf } from './possible-types.js';
import { DEFAULT_URLS, helpdeskNodeTypes, helpdeskSubgraphs } from './subgraphs.js';

export async function writeArtifacts(dir: string): Promise<string[]> {
  const supergraph = composeSupergraph(helpdeskSubgraphs(DEFAULT_URLS));
  const files: Record<string, string> = {
    // What `_service { sdl }` answers: the input of `rover subgraph publish` / `rover supergraph compose`.
    'freshchat.subgraph.graphql': printSubgraphSchema(createSchema()),
    'node-router.subgraph.graphql': printSubgraphSchema(createNodeRouterSchema(helpdeskNodeTypes())),
    'supergraph.graphql': supergraph.supergraphSdl,
    'api-schema.graphql': supergraph.apiSchemaSdl,
    'possible-types.json': `${JSON.stringify(await possibleTypesOf(supergraph.apiSchema), null, 2)}\n`,
  };
  await mkdir(dir, { recursive: true });
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(resolve(dir, name), text)));
  return Object.keys(files).map((name) => resolve(dir, name));
}
