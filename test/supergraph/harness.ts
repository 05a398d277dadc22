import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { SubgraphDefinition } from '../../src/supergraph/compose.js';
import { serveSubgraphSchema, type RunningSubgraph } from '../../src/supergraph/serve.js';
import { startSupergraph, type RunningSupergraph } from '../../src/supergraph/start.js';
import { PRODUCT_TYPE_DEFS, createProductSchema } from '../fixtures/product/index.js';
import { TICKETS_TYPE_DEFS, createTicketsSchema, type TicketRecord } from '../fixtures/tickets/index.js';
import { postGraphQL, type GraphQLResult } from './support.js';

export interface SupergraphHarness {
  running: RunningSupergraph;
  /** Requests the gateway sent to each subgraph since the last reset (one per plan fetch). */
  subgraphRequests: Map<string, number>;
  /** Upstream calls the Freshchat sandbox saw since the last reset, optionally of one path prefix. */
  upstreamCalls(prefix?: string): number;
  reset(): void;
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  close(): Promise<void>;
}

/**
 * What `npm run supergraph` starts (sandbox account `sandbox`, seed 1), with the catalog cache off so
 * upstream calls count per request, the account quota lifted, and optionally a tickets subgraph, the
 * product subgraph (which owns `User`, `Ticket`, ... of its own) and settings of its own.
 */
export async function startSupergraphHarness(
  options: { tickets?: readonly TicketRecord[]; product?: boolean; env?: Readonly<Record<string, string>> } = {},
): Promise<SupergraphHarness> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CATALOG_CACHE_TTL_MS: '0',
    UPSTREAM_RETRY_BASE_MS: '5',
    UPSTREAM_RETRY_MAX_MS: '20',
    // Freshchat's real quota (100/min) would throttle paging 2,000 contacts; quotas have their own tests.
    FRESHCHAT_RATE_LIMIT_PER_MINUTE: '1000000',
    ...options.env,
  });
  const subgraphRequests = new Map<string, number>();
  const fixtures: RunningSubgraph[] = [];
  const extraSubgraphs: SubgraphDefinition[] = [];
  if (options.tickets) {
    const tickets = await serveSubgraphSchema(createTicketsSchema(options.tickets));
    fixtures.push(tickets);
    extraSubgraphs.push({ name: 'tickets', url: tickets.url, typeDefs: TICKETS_TYPE_DEFS });
  }
  if (options.product) {
    const product = await serveSubgraphSchema(createProductSchema());
    fixtures.push(product);
    extraSubgraphs.push({ name: 'product', url: product.url, typeDefs: PRODUCT_TYPE_DEFS });
  }
  const stopFixtures = () => Promise.all(fixtures.map((fixture) => fixture.stop()));
  const running = await startSupergraph(config, createLogger('silent'), {
    port: 0,
    host: '127.0.0.1',
    extraSubgraphs,
    onSubgraphRequest: (name) => void subgraphRequests.set(name, (subgraphRequests.get(name) ?? 0) + 1),
  }).catch(async (error: unknown) => {
    // A composition failure must not leave the fixtures' servers holding the test process open.
    await stopFixtures();
    throw error;
  });
  const sandbox = running.freshchat.sandbox;
  if (!sandbox) throw new Error('the supergraph harness expects the embedded sandbox');
  return {
    running,
    subgraphRequests,
    upstreamCalls: (prefix = '/v2/') => sandbox.calls.filter((call) => call.path.startsWith(prefix)).length,
    reset() {
      subgraphRequests.clear();
      sandbox.resetCalls();
    },
    query: (query, variables) => postGraphQL(running.url, query, variables),
    async close() {
      await running.stop();
      await stopFixtures();
    },
  };
}
