/**
 * `npm run supergraph`: a local supergraph on SUPERGRAPH_PORT (default 4000) with the Freshchat
 * subgraph (the embedded sandbox unless FRESHCHAT_API_URL/TOKEN are set, exactly as `npm start`), the
 * example desk and the node-router. A dev tool (run with tsx, left out of the production build):
 * `@apollo/gateway` stands in for the Router.
 */
import { ConfigError, loadConfig } from '../config.js';
import { loadOrExit } from '../exit-on-config-error.js';
import { createLogger } from '../logger.js';
import { listenFailure, loadDotEnv, onTerminationSignals, startOrExit } from '../process/start.js';
import { exampleDeskId } from './example-desk/index.js';
import { CROSS_HELPDESK_QUERY, NODE_REFETCH_QUERY } from './examples.js';
import { startSupergraph } from './start.js';

/** The gateway's port: its own variable, since PORT is the Freshchat subgraph's when run alone. */
function toGatewayPort(value = '4000'): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65535) throw new ConfigError([`SUPERGRAPH_PORT must be a port number (0-65535); got ${value}`]);
  return port;
}

const curl = (url: string, query: string, variables?: Record<string, unknown>): string =>
  `curl -s ${url} -H 'content-type: application/json' -d '${JSON.stringify({ query, variables })}'`;

loadDotEnv();
const { config, port } = loadOrExit(() => ({ config: loadConfig(process.env), port: toGatewayPort(process.env.SUPERGRAPH_PORT) }));
const logger = createLogger(config.logLevel);

await startOrExit('supergraph', async () => {
  // The gateway is the only server here on a configured port (the subgraphs take free loopback ports,
  // the embedded sandbox SANDBOX_PORT, which bootstrap names itself).
  const running = await startSupergraph(config, logger, { port, host: config.host }).catch((error: unknown) =>
    Promise.reject(listenFailure(error, port, config.host, 'SUPERGRAPH_PORT')),
  );
  onTerminationSignals({ stop: () => running.stop(), timeoutMs: config.operations.shutdownTimeoutMs, log: (fields, message) => logger.info(fields, message) });
  const url = running.url.replace('://0.0.0.0', '://localhost');
  const exampleId = exampleDeskId('ExampleDeskTicketingUser', 'a-1');
  console.log(`\nSupergraph gateway ready at ${url} (freshchat: ${running.freshchat.url}, account ${running.freshchat.account?.id ?? "none: linked accounts only"})`);
  console.log(`\nCross-helpdesk query:\n${CROSS_HELPDESK_QUERY}\n\n  ${curl(url, CROSS_HELPDESK_QUERY)}`);
  console.log(`\nRefetch any id from it with node(id:):\n${NODE_REFETCH_QUERY}\n\n  ${curl(url, NODE_REFETCH_QUERY, { id: exampleId })}\n`);
});

