import { createServer as createHttpServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createNodeRouterSchema } from './schema.js';

export interface NodeRouterServer {
  /** Not listening yet: the caller decides where. */
  httpServer: Server;
  stop(): Promise<void>;
}

/** GraphQL at /graphql and a liveness probe at /health, like the Freshchat subgraph. Never listens. */
export async function createNodeRouterServer(options: { typenames: readonly string[]; production?: boolean }): Promise<NodeRouterServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createHttpServer(app);
  const apollo = new ApolloServer({
    schema: createNodeRouterSchema(options.typenames),
    includeStacktraceInErrorResponses: !(options.production ?? false),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await apollo.start();
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo));
  return { httpServer, stop: () => apollo.stop() };
}
