import { createServer } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import express from 'express';
import { listen } from '../process/listen.js';

export interface GatewayOptions {
  /** Composed ahead of time (static composition): the gateway never polls subgraphs for their SDL. */
  supergraphSdl: string;
  port: number;
  host: string;
  /** Called for every request the gateway sends to a subgraph (tests count plan fetches with it). */
  onSubgraphRequest?: (subgraph: string, request: GraphQLDataSourceProcessOptions['request']) => void;
}

export interface RunningGateway {
  /** e.g. `http://127.0.0.1:4000/` (the standalone server answers GraphQL on any path). */
  url: string;
  stop(): Promise<void>;
}

/**
 * `@apollo/gateway` over a static supergraph SDL, each subgraph reached over HTTP at the URL composition
 * recorded: the same hops as a Router in production, so plans, `_entities` batching and traces are real.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { onSubgraphRequest } = options;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest: ({ request }) => onSubgraphRequest?.(name, request),
      }),
  });
  // Not Apollo's standalone server: its listen error (a taken port) is an unhandled 'error' event.
  const app = express();
  const httpServer = createServer(app);
  const server = new ApolloServer({ gateway, stopOnTerminationSignals: false, plugins: [ApolloServerPluginDrainHttpServer({ httpServer })] });
  await server.start();
  app.use(express.json({ limit: '2mb' }), expressMiddleware(server));
  try {
    const port = await listen(httpServer, options.port, options.host, 'SUPERGRAPH_PORT');
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    return { url: `http://${host}:${port}/`, stop: () => server.stop() };
  } catch (error) {
    await gateway.stop();
    throw error;
  }
}
