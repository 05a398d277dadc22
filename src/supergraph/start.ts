import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { composeSupergraph, type SubgraphDefinition, type Supergraph } from './compose.js';
import { startFreshchat, type RunningFreshchat } from './freshchat.js';
import { startGateway, type GatewayOptions } from './gateway.js';
import { serveExampleDesk, serveNodeRouter, type RunningSubgraph } from './serve.js';
import { helpdeskNodeTypes, helpdeskSubgraphs } from './subgraphs.js';

export interface SupergraphOptions {
  port: number;
  host: string;
  /** Subgraphs already running elsewhere to compose in as well (e.g. a tickets fixture in tests). */
  extraSubgraphs?: readonly SubgraphDefinition[];
  onSubgraphRequest?: GatewayOptions['onSubgraphRequest'];
}

export interface RunningSupergraph {
  /** The gateway's GraphQL endpoint. */
  url: string;
  supergraph: Supergraph;
  freshchat: RunningFreshchat;
  stop(): Promise<void>;
}

/**
 * `npm run supergraph` without the printing: Freshchat (as `npm start` wires it), the example desk and
 * the node-router each on a loopback port, composed with `@apollo/composition` and served by
 * `@apollo/gateway` from the static supergraph SDL.
 */
export async function startSupergraph(config: Config, logger: Logger, options: SupergraphOptions): Promise<RunningSupergraph> {
  const started: RunningSubgraph[] = [];
  // Whatever fails half-way (a port, composition) must not leave servers holding the process open.
  const stopAll = () => Promise.all(started.splice(0).map((subgraph) => subgraph.stop()));
  try {
    const freshchat = await startFreshchat(config, logger);
    started.push(freshchat);
    const exampleDesk = await serveExampleDesk();
    started.push(exampleDesk);
    const nodeRouter = await serveNodeRouter(helpdeskNodeTypes(), logger);
    started.push(nodeRouter);
    const urls = { freshchat: freshchat.url, exampleDesk: exampleDesk.url, nodeRouter: nodeRouter.url };
    const supergraph = composeSupergraph(helpdeskSubgraphs(urls, options.extraSubgraphs));
    const { port, host, onSubgraphRequest } = options;
    const gateway = await startGateway({ supergraphSdl: supergraph.supergraphSdl, port, host, onSubgraphRequest });
    const stop = async () => {
      await gateway.stop();
      await stopAll();
    };
    return { url: gateway.url, supergraph, freshchat, stop };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
