import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';

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
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: options.port, host: options.host } });
  return { url, stop: () => server.stop() };
}
