import type { IncomingHttpHeaders, RequestListener, Server } from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
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
import { REQUEST_ID_HEADER, runInScope, toRequestId } from './request-scope.js';
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
  /** Bench-only: see {@link LayerSwitches}. */
  layers?: LayerSwitches;
}

/**
 * Bench-only switches (`npm run bench:layers`, bench/layers.ts): each removes one layer of the
 * GraphQL request path, so the benchmark can price every layer on its own. The real wiring never sets
 * them; a server built with any of them is not the product (no access log, no limits, …).
 */
export interface LayerSwitches {
  /** Without the access-log plugin. */
  accessLog?: false;
  /** Without the GraphQL metrics plugin (upstream series stay). */
  metrics?: false;
  /** Without the operation limits: armor's validation rules, the token limit, variables and budget plugins. */
  limits?: false;
  /** Without the request-id scope (AsyncLocalStorage) and its middleware. */
  requestScope?: false;
  /** Without Apollo's federated inline-trace plugin (installed by default for a subgraph schema). */
  inlineTrace?: false;
  /** Without the caller-authentication middleware (no JWT settings: it verifies nothing, but runs). */
  auth?: false;
  /** `node`: POST /graphql answered by Node's http and Apollo's executeHTTPGraphQLRequest, not Express. */
  http?: 'node';
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
  const node: { handle?: RequestListener } = {};
  const listener: RequestListener = deps.layers?.http === 'node' ? (req, res) => (node.handle ?? app)(req, res) : app;
  const httpServer = createBoundedHttpServer(listener, config.operations.connections, warnCappedClient(deps.logger));
  const layers = deps.layers ?? {};
  const hardening = hardenedApolloOptions<Context>(config, deps.logger, { accessLog: layers.accessLog === false, limits: layers.limits === false });
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
      ...(deps.metrics && layers.metrics !== false ? [graphqlMetricsPlugin<Context>(deps.metrics)] : []),
      ...(layers.inlineTrace === false ? [ApolloServerPluginInlineTraceDisabled()] : []),
      ...(hardening.plugins ?? []),
      ...(deps.plugins ?? []),
    ],
  });
  await apollo.start();

  const auth = layers.auth === false ? undefined : deps.linked && createGraphqlAuth(deps.linked.authenticate);
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
    authenticate: layers.http === 'node' && deps.linked ? (request: { headers: IncomingHttpHeaders }) => deps.linked!.authenticate(request.headers) : auth?.callerOf,
    sync: deps.sync?.port,
    // A write holds its key at most twice its deadline; past that its process is presumed gone.
    idempotency: createIdempotency({
      store: idempotencyStore,
      ttlMs: config.idempotencyTtlMs,
      leaseMs: 2 * config.requestDeadlineMs,
    }),
  };
  const newContext = createContextFactory(contextDeps);
  if (layers.http === 'node') node.handle = nodeGraphqlHandler(app, apollo, newContext, config.hardening.maxRequestBytes, layers.requestScope !== false);
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
  if (layers.requestScope !== false) app.use(requestScope());
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
    ...(layers.requestScope === false ? [] : [reenterRequestScope()]),
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

/**
 * Bench-only (LayerSwitches.http): POST /graphql without Express — the body read and parsed here,
 * Apollo's own executeHTTPGraphQLRequest, the response written once; everything else goes to `app`.
 * It prices Express; it is not a complete replacement (no 413 JSON error, no GET, no 404 details).
 */
function nodeGraphqlHandler(
  app: RequestListener,
  apollo: ApolloServer<Context>,
  newContext: ReturnType<typeof createContextFactory>,
  maxBytes: number,
  scoped: boolean,
): RequestListener {
  return (req, res) => {
    if (req.method !== 'POST' || req.url !== '/graphql') return void app(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const answer = async () => {
        const headers = new HeaderMap();
        for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: 'POST', headers, search: '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown },
          context: () => newContext({ headers: req.headers, callerGone: callerGoneSignal(res) }),
        });
        for (const [key, value] of response.headers) res.setHeader(key, value);
        res.statusCode = response.status ?? 200;
        res.end(response.body.kind === 'complete' ? response.body.string : '');
      };
      const run = () => answer().catch(() => void res.writeHead(500).end());
      if (!scoped) return void run();
      const requestId = toRequestId(req.headers[REQUEST_ID_HEADER]);
      res.setHeader(REQUEST_ID_HEADER, requestId);
      void runInScope(requestId, run);
    });
  };
}

function defaultAccountIdOf(config: Config): string | null {
  return config.target.kind === 'none' ? null : config.target.accountId;
}

async function defaultAccount(source: AccountSource): Promise<Account | null> {
  return source.defaultId === null ? null : source.find(source.defaultId);
}
