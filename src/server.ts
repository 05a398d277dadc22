import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Account, AccountSource } from './account.js';
import type { Config } from './config.js';
import type { AccountTransports } from './freshchat/account-transport.js';
import { createGraphqlAuth, type LinkedAccountsWiring } from './accounts/graphql-auth.js';
import { createContextFactory, type Context } from './context.js';
import { hardenedApolloOptions } from './hardening/apollo-options.js';
import { jsonErrorHandler } from './hardening/http-errors.js';
import { createBoundedHttpServer, warnCappedClient } from './hardening/http-server.js';
import { createCatalogCache, createTotalsHint } from './loaders/catalog-cache.js';
import { createPageCache, type PageCache } from './loaders/page-cache.js';
import type { Logger } from './logger.js';
import { graphqlMetricsPlugin } from './observability/graphql-metrics.js';
import { IDE_PATH, loadIde } from './observability/graphql-ide.js';
import { landingPagePlugin } from './observability/landing-page.js';
import type { Metrics } from './observability/metrics.js';
import { reenterRequestScope, requestScope } from './observability/request-scope.js';
import { checkReadiness, createReadinessProbe, toReadyResponse } from './readiness.js';
import type { Resilience } from './resilience/index.js';
import { callerGoneSignal } from './freshchat/signals.js';
import { createSchema } from './schema.js';
import { createIdempotency } from './idempotency/run.js';
import { createMemoryIdempotencyStore, type IdempotencyStore } from './idempotency/store.js';
import { createProxyRouter } from './proxy/router.js';
import type { SyncPort } from './sync/port.js';

export interface ServerDeps {
  accounts: AccountSource;
  /**
   * Every account's transport, built in one place (src/freshchat/account-transport.ts): the one
   * dispatcher, retries, each account's guard and the attempt observer (metrics, logs, the credential
   * lifecycle). GraphQL, /ready and the passthrough all call Freshchat through it.
   */
  transports: AccountTransports;
  logger: Logger;
  plugins?: ApolloServerPlugin<Context>[];
  /** The catalog cache in Redis and /ready's Redis status (docs/resilience.md); src/bootstrap.ts always wires it. */
  resilience?: Resilience;
  /** Prometheus series served at /metrics; undefined with METRICS_ENABLED=false. */
  metrics?: Metrics;
  /** Linked accounts (src/accounts): `/admin` and `/link`, caller JWTs, /ready's detail. */
  linked?: LinkedAccountsWiring;
  /** Idempotency keys of writes: the registry database's table when wired, else in process. */
  idempotencyStore?: IdempotencyStore;
  /** The change log (src/sync): `freshchat { changes }`, writes recorded, `POST /webhooks/freshchat/{id}`. */
  sync?: { port: SyncPort; routes: express.Router };
}

export interface SubgraphServer {
  /** Not listening yet: the caller decides where. */
  httpServer: Server;
  apollo: ApolloServer<Context>;
  /** The cross-request page cache: writes call `pages.invalidate(account.key, 'agents')` after a mutation. */
  pages: PageCache;
  stop(): Promise<void>;
}

/** Wires schema, Apollo Server, /graphql, /health, /ready and /metrics. Never listens (tests use port 0). */
export async function createServer(config: Config, deps: ServerDeps): Promise<SubgraphServer> {
  const app = express();
  app.disable('x-powered-by');
  // Receive bounded to a router's 30 s, open connections to MAX_CONNECTIONS and a fair share per client.
  const httpServer = createBoundedHttpServer(app, config.operations.connections, warnCappedClient(deps.logger));
  const hardening = hardenedApolloOptions<Context>(config, deps.logger);
  // Development only: the GraphQL IDE's page and assets (production serves no page at GET /graphql).
  const ide = config.production ? undefined : loadIde({ defaultAccountId: defaultAccountIdOf(config), authRequired: config.accounts.auth !== undefined });
  const apollo = new ApolloServer<Context>({
    ...hardening,
    schema: createSchema(),
    // The process entry owns SIGINT/SIGTERM (one shutdown path: drain, close pools, exit 0).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.operations.shutdownTimeoutMs }),
      landingPagePlugin<Context>(config.production, ide?.html),
      ...(deps.metrics ? [graphqlMetricsPlugin<Context>(deps.metrics)] : []),
      ...(hardening.plugins ?? []),
      ...(deps.plugins ?? []),
    ],
  });
  await apollo.start();

  const auth = deps.linked && createGraphqlAuth(deps.linked.authenticate);
  const pages = createPageCache({ ttlMs: config.agentPageCacheTtlMs, resources: ['agents'], maxPages: config.resilience.maxAccounts * 5 });
  const idempotencyStore = deps.idempotencyStore ?? createMemoryIdempotencyStore();
  const contextDeps = {
    accounts: deps.accounts,
    transports: deps.transports,
    pageSize: config.upstream.pageSize,
    // In Redis with the resilience layer when REDIS_URL is set, so replicas share one walk.
    catalogs: deps.resilience?.catalogs ?? createCatalogCache(config.catalogCacheTtlMs, { maxAccounts: config.resilience.maxAccounts }),
    totals: createTotalsHint({ maxAccounts: config.resilience.maxAccounts }),
    pages,
    deadlineMs: config.requestDeadlineMs,
    maxCursorOffset: config.hardening.maxCursorOffset,
    maxUpstreamCalls: config.hardening.limits.maxUpstreamCalls,
    authenticate: auth?.callerOf,
    sync: deps.sync?.port,
    // A write holds its key at most twice its deadline; past that its process is presumed gone.
    idempotency: createIdempotency({
      store: idempotencyStore,
      ttlMs: config.idempotencyTtlMs,
      leaseMs: 2 * config.requestDeadlineMs,
    }),
  };
  const newContext = createContextFactory(contextDeps);
  // An account unlinked or re-pointed leaves nothing behind under its old key, in memory or Redis.
  deps.linked?.onChange?.(async ({ retiredKey }) => {
    if (retiredKey === null) return;
    contextDeps.totals.forgetAccount(retiredKey);
    pages.forgetAccount(retiredKey);
    await Promise.all([contextDeps.catalogs.forgetAccount(retiredKey), idempotencyStore.forgetAccount?.(retiredKey)]);
  });

  const probe = createReadinessProbe(async () => {
    const redis = deps.resilience?.redisStatus();
    return checkReadiness(await defaultAccount(deps.accounts), deps.transports, Math.min(config.requestDeadlineMs, 5_000), redis);
  }, config.operations.readyCacheMs);
  app.use(requestScope());
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/ready', async (req, res) => {
    const { status, body } = toReadyResponse(await probe());
    // Customers' accounts are reported, never a reason to be unready: the process serves the others.
    // The registry gets the probe's time at most, so a frozen database cannot hold /ready.
    const request = { authorization: req.get('authorization'), deadline: Date.now() + Math.min(config.requestDeadlineMs, 5_000) };
    const linked = await deps.linked?.readiness(request).catch(() => ({ error: 'registry unavailable' }));
    res.status(status).json(linked ? { ...body, linkedAccounts: linked } : body);
  });
  if (deps.metrics) {
    const { registry } = deps.metrics;
    app.get('/metrics', async (_req, res) => void res.type(registry.contentType).send(await registry.metrics()));
  }
  if (ide) app.use(IDE_PATH, ide.assets);
  const graphqlBody = express.json({ limit: config.hardening.maxRequestBytes });
  app.use(
    '/graphql',
    graphqlBody,
    reenterRequestScope(),
    ...(auth ? [auth.middleware] : []),
    expressMiddleware(apollo, { context: ({ req, res }) => newContext({ headers: req.headers, callerGone: callerGoneSignal(res) }) }),
  );
  // The passthrough (docs/design.md#the-passthrough): the same accounts, caller JWTs, quota and breakers as GraphQL.
  const proxy = { ...contextDeps, authenticate: deps.linked?.authenticate, maxBodyBytes: config.hardening.maxRequestBytes, logger: deps.logger };
  app.use('/proxy/freshchat', createProxyRouter(proxy));
  if (deps.linked) app.use(deps.linked.routes);
  if (deps.sync) app.use(deps.sync.routes);
  const endpoints = [
    '/graphql',
    '/proxy/freshchat/v2/...',
    '/health',
    '/ready',
    ...(deps.metrics ? ['/metrics'] : []),
    ...(deps.linked ? ['/admin', '/link'] : []),
    ...(deps.sync ? ['/webhooks/freshchat/{accountId}'] : []),
  ];
  // JSON like every other answer here, instead of Express's HTML page.
  app.use((_req, res) => void res.status(404).json({ status: 'not found', endpoints }));
  app.use(jsonErrorHandler(deps.logger));

  return { httpServer, apollo, pages, stop: () => apollo.stop() };
}

function defaultAccountIdOf(config: Config): string | null {
  return config.target.kind === 'none' ? null : config.target.accountId;
}

async function defaultAccount(source: AccountSource): Promise<Account | null> {
  return source.defaultId === null ? null : source.find(source.defaultId);
}
