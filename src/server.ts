import { createServer as createHttpServer, type Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Dispatcher } from 'undici';
import type { Account, AccountSource } from './account.js';
import type { Config } from './config.js';
import { createGraphqlAuth, type LinkedAccountsWiring } from './accounts/graphql-auth.js';
import { createContextFactory, type Context } from './context.js';
import { hardenedApolloOptions } from './hardening/apollo-options.js';
import { jsonErrorHandler } from './hardening/http-errors.js';
import { createCatalogCache, createTotalsHint } from './loaders/catalog-cache.js';
import type { Logger } from './logger.js';
import { checkReadiness, toReadyResponse } from './readiness.js';
import type { Resilience } from './resilience/index.js';
import { callerGoneSignal } from './resilience/signals.js';
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
  /** Linked accounts (src/accounts): `/admin` and `/link`, caller JWTs, the credential lifecycle. */
  linked?: LinkedAccountsWiring;
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

  const auth = deps.linked && createGraphqlAuth(deps.linked.authenticate);
  const contextDeps = {
    accounts: deps.accounts,
    dispatcher: deps.dispatcher,
    retry: config.upstream.retry,
    pageSize: config.upstream.pageSize,
    // In Redis with the resilience layer when REDIS_URL is set, so replicas share one walk.
    catalogs: deps.resilience?.catalogs ?? createCatalogCache(config.catalogCacheTtlMs, { maxAccounts: config.resilience.maxAccounts }),
    totals: createTotalsHint({ maxAccounts: config.resilience.maxAccounts }),
    deadlineMs: config.requestDeadlineMs,
    maxCursorOffset: config.hardening.maxCursorOffset,
    maxUpstreamCalls: config.hardening.limits.maxUpstreamCalls,
    resilience: deps.resilience,
    authenticate: auth?.callerOf,
    observeAttempt: deps.linked?.observeAttempt,
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
    // Customers' accounts are reported, never a reason to be unready: the process serves the others.
    const linked = await deps.linked?.readiness().catch(() => ({ error: 'registry unavailable' }));
    res.status(status).json(linked ? { ...body, linkedAccounts: linked } : body);
  });
  const graphqlBody = express.json({ limit: config.hardening.maxRequestBytes });
  app.use(
    '/graphql',
    graphqlBody,
    ...(auth ? [auth.middleware] : []),
    expressMiddleware(apollo, { context: ({ req, res }) => newContext({ headers: req.headers, callerGone: callerGoneSignal(res) }) }),
  );
  // The passthrough (DESIGN §8): the same accounts, caller JWTs, quota and breakers as GraphQL.
  const proxy = { ...contextDeps, authenticate: deps.linked?.authenticate, maxBodyBytes: config.hardening.maxRequestBytes, logger: deps.logger };
  app.use('/proxy/freshchat', createProxyRouter(proxy));
  if (deps.linked) app.use(deps.linked.routes);
  // JSON like every other answer here, instead of Express's HTML page.
  app.use((_req, res) => void res.status(404).json({ status: 'not found', endpoints: ['/graphql', '/proxy/freshchat/v2/...', '/health', '/ready'] }));
  app.use(jsonErrorHandler(deps.logger));

  return { httpServer, apollo, stop: () => apollo.stop() };
}

async function defaultAccount(source: AccountSource): Promise<Account | null> {
  return source.defaultId === null ? null : source.find(source.defaultId);
}
