import { createServer as createHttpServer, type Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Dispatcher } from 'undici';
import type { Account, AccountSource } from './account.js';
import type { Config } from './config.js';
import { createContextFactory, type Context } from './context.js';
import { hardenedApolloOptions } from './hardening/apollo-options.js';
import { jsonErrorHandler } from './hardening/http-errors.js';
import { createCatalogCache, createTotalsHint } from './loaders/catalog-cache.js';
import type { Logger } from './logger.js';
import { checkReadiness, toReadyResponse } from './readiness.js';
import type { Resilience } from './resilience/index.js';
import { createSchema } from './schema.js';
import { createIdempotency } from './idempotency/run.js';
import { createMemoryIdempotencyStore, type IdempotencyStore } from './idempotency/store.js';
import { createProxyRouter } from './proxy/router.js';

export interface ServerDeps {
  accounts: AccountSource;
  /** The one process-wide undici dispatcher (timeouts, keep-alive). */
  dispatcher: Dispatcher;
  logger: Logger;
  plugins?: ApolloServerPlugin<Context>[];
  /** Per-account quota, breakers and retry budget (docs/resilience.md); src/bootstrap.ts always wires it. */
  resilience?: Resilience;
  /** Idempotency keys of writes: the registry database's table when wired, else in process. */
  idempotencyStore?: IdempotencyStore;
}

export interface SubgraphServer {
  /** Not listening yet: the caller decides where. */
  httpServer: Server;
  apollo: ApolloServer<Context>;
  stop(): Promise<void>;
}

// A router gives up on a subgraph after 30 s by default: a request still arriving by then is not
// worth reading (this also bounds slow-header and slow-body clients, Node's defaults being 60/300 s).
const ROUTER_TIMEOUT_MS = 30_000;

/** Wires schema, Apollo Server, /graphql, /health and /ready. Never listens (tests use port 0). */
export async function createServer(config: Config, deps: ServerDeps): Promise<SubgraphServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createHttpServer({ requestTimeout: ROUTER_TIMEOUT_MS, headersTimeout: ROUTER_TIMEOUT_MS }, app);
  const hardening = hardenedApolloOptions<Context>(config, deps.logger);
  const apollo = new ApolloServer<Context>({
    ...hardening,
    schema: createSchema(),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ...(hardening.plugins ?? []), ...(deps.plugins ?? [])],
  });
  await apollo.start();

  const contextDeps = {
    accounts: deps.accounts,
    dispatcher: deps.dispatcher,
    retry: { maxAttempts: config.upstream.maxAttempts, baseDelayMs: config.upstream.retryBaseDelayMs, maxDelayMs: config.upstream.retryMaxDelayMs },
    pageSize: config.upstream.pageSize,
    // In Redis with the resilience layer when REDIS_URL is set, so replicas share one walk.
    catalogs: deps.resilience?.catalogs ?? createCatalogCache(config.catalogCacheTtlMs),
    totals: createTotalsHint(),
    deadlineMs: config.requestDeadlineMs,
    resilience: deps.resilience,
    // A write holds its key at most twice its deadline; past that its process is presumed gone.
    idempotency: createIdempotency({
      store: deps.idempotencyStore ?? createMemoryIdempotencyStore(),
      ttlMs: config.idempotencyTtlMs,
      leaseMs: 2 * config.requestDeadlineMs,
    }),
  };
  const newContext = createContextFactory(contextDeps);

  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/ready', async (_req, res) => {
    const account = await defaultAccount(deps.accounts);
    const readiness = await checkReadiness(account, deps.dispatcher, Math.min(config.requestDeadlineMs, 5_000), deps.resilience);
    const { status, body } = toReadyResponse(readiness);
    res.status(status).json(body);
  });
  const graphqlBody = express.json({ limit: config.hardening.maxRequestBytes });
  app.use('/graphql', graphqlBody, expressMiddleware(apollo, { context: ({ req }) => newContext(req) }));
  // The passthrough (DESIGN §8): the same accounts, caller rules, quota and breakers as GraphQL.
  app.use('/proxy/freshchat', createProxyRouter({ ...contextDeps, maxBodyBytes: config.hardening.maxRequestBytes, logger: deps.logger }));
  // JSON like every other answer here, instead of Express's HTML page.
  app.use((_req, res) => void res.status(404).json({ status: 'not found', endpoints: ['/graphql', '/proxy/freshchat/v2/...', '/health', '/ready'] }));
  app.use(jsonErrorHandler(deps.logger));

  return { httpServer, apollo, stop: () => apollo.stop() };
}

async function defaultAccount(source: AccountSource): Promise<Account | null> {
  return source.defaultId === null ? null : source.find(source.defaultId);
}
