import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';
import { contractSdlUrl, nodeEntityTypenames, readContractSdl } from './contract/index.js';

/**
 * The subgraph's SDL as text and as a document, with nothing else loaded: the server builds its schema
 * from it, and the node-router (which has no resolvers of Freshchat's) reads its default types off it.
 */

/** The SDL files, contract first: the one source of truth for the schema and the generated types. */
export function readTypeDefs(): string {
  // The Freshchat layer sits beside the contract in schema/, from the repo and from dist/ alike.
  return [readContractSdl(), readFileSync(new URL('freshchat.graphql', contractSdlUrl()), 'utf8')].join('\n');
}

export function freshchatTypeDefs(): DocumentNode {
  return parse(readTypeDefs());
}

/** The Freshchat entity types (`Node` objects with a `@key`): what `node(id:)` and `_entities` must reach. */
export function freshchatNodeTypenames(): string[] {
  return nodeEntityTypenames(freshchatTypeDefs());
}
