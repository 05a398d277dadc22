import { createServer as createHttpServer, type Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Dispatcher } from 'undici';
import type { AccountRegistry } from './account.js';
import type { Config } from './config.js';
import { createContextFactory, type Context } from './context.js';
import { FreshchatError, toGraphQLError } from './errors.js';
import { createCatalogCache, createTotalsHint } from './loaders/catalog-cache.js';
import type { Logger } from './logger.js';
import { checkReadiness } from './readiness.js';
import { createSchema } from './schema.js';

export interface ServerDeps {
  accounts: AccountRegistry;
  /** The one process-wide undici dispatcher (timeouts, keep-alive). */
  dispatcher: Dispatcher;
  logger: Logger;
  plugins?: ApolloServerPlugin<Context>[];
}

export interface SubgraphServer {
  /** Not listening yet: the caller decides where. */
  httpServer: Server;
  apollo: ApolloServer<Context>;
  stop(): Promise<void>;
}

/** Wires schema, Apollo Server, /graphql, /health and /ready. Never listens (tests use port 0). */
export async function createServer(config: Config, deps: ServerDeps): Promise<SubgraphServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createHttpServer(app);
  const apollo = new ApolloServer<Context>({
    schema: createSchema(),
    formatError: (formatted, error) => formatError(formatted, error, deps.logger),
    includeStacktraceInErrorResponses: !config.production,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ...(deps.plugins ?? [])],
  });
  await apollo.start();

  const newContext = createContextFactory({
    accounts: deps.accounts,
    dispatcher: deps.dispatcher,
    retry: { maxAttempts: config.upstream.maxAttempts, baseDelayMs: config.upstream.retryBaseDelayMs, maxDelayMs: config.upstream.retryMaxDelayMs },
    pageSize: config.upstream.pageSize,
    catalogs: createCatalogCache(config.catalogCacheTtlMs),
    totals: createTotalsHint(),
    deadlineMs: config.requestDeadlineMs,
  });

  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/ready', async (_req, res) => {
    const readiness = await checkReadiness(deps.accounts.defaultAccount, deps.dispatcher, Math.min(config.requestDeadlineMs, 5_000));
    res.status(readiness.ready ? 200 : 503).json(readiness.ready ? { status: 'ready' } : { status: 'unavailable', reason: readiness.reason });
  });
  app.use('/graphql', express.json({ limit: '2mb' }), expressMiddleware(apollo, { context: async () => newContext() }));

  return { httpServer, apollo, stop: () => apollo.stop() };
}

/**
 * The one place errors leave the process (DESIGN §6): upstream faults become their typed code with our
 * own message; unexpected errors are logged and masked; GraphQL errors we raised pass unchanged.
 */
function formatError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof FreshchatError) {
    const mapped = toGraphQLError(original);
    return { message: mapped.message, path: formatted.path, locations: formatted.locations, extensions: mapped.extensions };
  }
  if (original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  logger.error({ err: original }, 'unexpected error in a resolver');
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
