import type { AddressInfo } from 'node:net';
import { bootstrap } from './bootstrap.js';
import { loadConfig } from './config.js';
import { loadOrExit } from './exit-on-config-error.js';
import { createLogger } from './logger.js';

const EXAMPLE_QUERY = '{ freshchat { ticketingUsers(first: 3) { totalCount nodes { name role { name } } } } }';

/** Process entry: loadConfig → bootstrap → listen; drains on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadOrExit(() => loadConfig(process.env));
  const logger = createLogger(config.logLevel);
  // A start-up problem that names a setting (a CREDENTIALS_KEY that cannot decrypt the stored
  // accounts) is one line and exit 1, like a malformed variable.
  const subgraph = await bootstrap(config, logger).catch((error: unknown) => loadOrExit(() => { throw error; }));
  const { httpServer } = subgraph.server;
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://localhost:${port}/graphql`;
  logger.info({ url, account: subgraph.account.id }, `Freshchat subgraph ready at ${url}`);
  if (subgraph.sandbox) {
    logger.info(`try: curl -s ${url} -H 'content-type: application/json' -d '${JSON.stringify({ query: EXAMPLE_QUERY })}'`);
  }

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await subgraph.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

await main();
