/**
 * `npm run node-router`: the node-router subgraph on its own (PORT, default 4002). It is shippable
 * apart from the Freshchat subgraph; list every helpdesk's Node types in NODE_ROUTER_TYPES.
 */
import { loadOrExit } from '../exit-on-config-error.js';
import { createLogger } from '../logger.js';
import { listen, loadDotEnv, onTerminationSignals, startOrExit } from '../process/start.js';
import { loadNodeRouterConfig } from './config.js';
import { createNodeRouterServer } from './server.js';

loadDotEnv();
const config = loadOrExit(() => loadNodeRouterConfig(process.env));
const logger = createLogger(config.logLevel);

await startOrExit('node-router', async () => {
  const server = await createNodeRouterServer(config, logger);
  onTerminationSignals({ stop: () => server.stop(), timeoutMs: config.shutdownTimeoutMs, log: (fields, message) => logger.info(fields, message) });
  const port = await listen(server.httpServer, config.port, config.host, 'PORT');
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`;
  logger.info({ url, types: config.typenames }, `node-router subgraph ready at ${url} for ${config.typenames.join(", ")}`);
});
