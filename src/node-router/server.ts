import type { Server } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { RequestStats } from '../context.js';
import { accessLogPlugin } from '../hardening/access-log.js';
import { createErrorFormatter } from '../hardening/format-error.js';
import { jsonErrorHandler } from '../hardening/http-errors.js';
import { createBoundedHttpServer, warnCappedClient } from '../hardening/http-server.js';
import { createOperationLimits } from '../hardening/limits.js';
import type { Logger } from '../logger.js';
import { landingPagePlugin } from '../observability/landing-page.js';
import { reenterRequestScope, requestScope } from '../observability/request-scope.js';
import type { NodeRouterConfig } from './config.js';
import { createNodeRouterSchema } from './schema.js';

export interface NodeRouterServer {
  /** Not listening yet: the caller decides where. */
  httpServer: Server;
  stop(): Promise<void>;
}

type NodeRouterContext = BaseContext & RequestStats;

/**
 * The node-router with the Freshchat subgraph's hardening: the same operation limits, body limit,
 * receive bound and connection cap, JSON errors, an access log, /health and /ready. Never listens.
 */
export async function createNodeRouterServer(config: NodeRouterConfig, logger: Logger): Promise<NodeRouterServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createBoundedHttpServer(app, config.connections, warnCappedClient(logger));
  const { introspection, limits, maxRequestBytes } = config.hardening;
  const operationLimits = createOperationLimits<NodeRouterContext>(limits);
  const apollo = new ApolloServer<NodeRouterContext>({
    schema: createNodeRouterSchema(config.typenames),
    nodeEnv: config.production ? 'production' : 'development',
    logger,
    introspection,
    hideSchemaDetailsFromClientErrors: !introspection,
    includeStacktraceInErrorResponses: !config.production,
    allowBatchedHttpRequests: false,
    persistedQueries: false,
    maxRecursiveSelections: true,
    stopOnTerminationSignals: false,
    parseOptions: operationLimits.parseOptions,
    validationRules: operationLimits.validationRules,
    formatError: createErrorFormatter({ logger, hideSchemaDetails: !introspection }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs }),
      landingPagePlugin<NodeRouterContext>(config.production),
      ...operationLimits.plugins,
      accessLogPlugin<NodeRouterContext>(logger),
    ],
  });
  await apollo.start();
  app.use(requestScope());
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  // No upstream: ready as soon as it serves.
  app.get('/ready', (_req, res) => void res.json({ status: 'ready' }));
  const context = async (): Promise<NodeRouterContext> => ({ stats: { upstreamCalls: 0 } });
  app.use('/graphql', express.json({ limit: maxRequestBytes }), reenterRequestScope(), expressMiddleware(apollo, { context }));
  app.use((_req, res) => void res.status(404).json({ status: 'not found', endpoints: ['/graphql', '/health', '/ready'] }));
  app.use(jsonErrorHandler(logger));
  return { httpServer, stop: () => apollo.stop() };
}
