import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../logger.js';
import { defaultNodeRouterConfig } from '../node-router/config.js';
import { createNodeRouterServer } from '../node-router/server.js';
import { createExampleDeskSchema, type ExampleDeskData } from './example-desk/index.js';

/** A subgraph listening on loopback, as the gateway will reach it. */
export interface RunningSubgraph {
  url: string;
  stop(): Promise<void>;
}

// Loopback and an ephemeral port: subgraphs are only for the gateway, and never clash with `npm start`.
const LOOPBACK = '127.0.0.1';

/** Listens on an ephemeral loopback port and answers the URL of its /graphql endpoint. */
export async function listenOnLoopback(httpServer: Server): Promise<string> {
  await new Promise<void>((resolve) => httpServer.listen(0, LOOPBACK, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return `http://${LOOPBACK}:${port}/graphql`;
}

/** Any subgraph schema (`buildSubgraphSchema`) on its own loopback port. */
export async function serveSubgraphSchema(schema: GraphQLSchema): Promise<RunningSubgraph> {
  // The process entry owns SIGINT/SIGTERM (one shutdown path), not each of its servers.
  const server = new ApolloServer({ schema, stopOnTerminationSignals: false });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: LOOPBACK } });
  return { url, stop: () => server.stop() };
}

export function serveExampleDesk(data?: ExampleDeskData): Promise<RunningSubgraph> {
  return serveSubgraphSchema(createExampleDeskSchema(data));
}

export async function serveNodeRouter(typenames: readonly string[], logger: Logger): Promise<RunningSubgraph> {
  const server = await createNodeRouterServer(defaultNodeRouterConfig(typenames), logger);
  return { url: await listenOnLoopback(server.httpServer), stop: () => server.stop() };
}
