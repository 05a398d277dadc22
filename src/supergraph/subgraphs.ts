import { nodeEntityTypenames } from '../contract/index.js';
import { nodeRouterTypeDefs } from '../node-router/schema.js';
import { freshchatNodeTypenames, freshchatTypeDefs } from '../type-defs.js';
import type { SubgraphDefinition } from './compose.js';
import { exampleDeskTypeDefs } from './example-desk/index.js';

/** Subgraph names as the gateway, query plans and `join__Graph` show them. */
export const SUBGRAPH = { freshchat: 'freshchat', exampleDesk: 'exampledesk', nodeRouter: 'node-router' } as const;

export interface HelpdeskUrls {
  freshchat: string;
  exampleDesk: string;
  nodeRouter: string;
}

/** Where each subgraph listens when started on its own (`npm start`, `npm run node-router`). */
export const DEFAULT_URLS: HelpdeskUrls = {
  freshchat: 'http://localhost:4001/graphql',
  nodeRouter: 'http://localhost:4002/graphql',
  exampleDesk: 'http://localhost:4003/graphql',
};

/**
 * The Node types the node-router must declare: read off the helpdesk subgraphs' SDL, so adding an
 * entity type to a helpdesk cannot silently leave it out of `node(id:)`.
 */
export function helpdeskNodeTypes(): string[] {
  return [...freshchatNodeTypenames(), ...nodeEntityTypenames(exampleDeskTypeDefs())];
}

/** Freshchat + the example desk + the node-router, plus any `extra` subgraph (e.g. a tickets fixture). */
export function helpdeskSubgraphs(urls: HelpdeskUrls, extra: readonly SubgraphDefinition[] = []): SubgraphDefinition[] {
  return [
    { name: SUBGRAPH.freshchat, url: urls.freshchat, typeDefs: freshchatTypeDefs() },
    { name: SUBGRAPH.exampleDesk, url: urls.exampleDesk, typeDefs: exampleDeskTypeDefs() },
    { name: SUBGRAPH.nodeRouter, url: urls.nodeRouter, typeDefs: nodeRouterTypeDefs(helpdeskNodeTypes()) },
    ...extra,
  ];
}
