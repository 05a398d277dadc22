import type { AddressInfo } from 'node:net';
import { createAccountRegistry, type Account } from './account.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDispatcher } from './freshchat/http.js';
import { createLogger, type Logger } from './logger.js';
import { createResilience } from './resilience/index.js';
import { startSandbox } from './sandbox/index.js';
import { Secret } from './secret.js';
import { createServer } from './server.js';

const EXAMPLE_QUERY = '{ freshchat { ticketingUsers(first: 3) { totalCount nodes { name role { name } } } } }';

/** Process entry: loadConfig → (sandbox) → createServer → listen; drains on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createLogger(config.logLevel);
  const dispatcher = createDispatcher(config.upstream);
  const { account, closeUpstream } = await defaultAccount(config, logger);
  const accounts = createAccountRegistry([account], account.id);
  // Process-wide like the dispatcher: every request's calls to an account share one quota and breakers.
  const resilience = createResilience(config.resilience, { accounts, log: logger, catalogTtlMs: config.catalogCacheTtlMs });
  const server = await createServer(config, { accounts, dispatcher, logger, resilience });
  await new Promise<void>((resolve) => server.httpServer.listen(config.port, config.host, resolve));
  const { port } = server.httpServer.address() as AddressInfo;
  const url = `http://localhost:${port}/graphql`;
  logger.info({ url, account: account.id }, `Freshchat subgraph ready at ${url}`);
  if (config.target.kind === 'sandbox') {
    logger.info(`try: curl -s ${url} -H 'content-type: application/json' -d '${JSON.stringify({ query: EXAMPLE_QUERY })}'`);
  }

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await server.stop();
    await resilience.close();
    await closeUpstream();
    await dispatcher.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

function readConfigOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exit(1);
  }
}

/** The configured Freshchat account, or the embedded sandbox when none is configured. */
async function defaultAccount(config: Config, logger: Logger): Promise<{ account: Account; closeUpstream: () => Promise<void> }> {
  const { target } = config;
  if (target.kind === 'freshchat') {
    return { account: { id: target.accountId, baseUrl: target.baseUrl, token: target.token }, closeUpstream: async () => {} };
  }
  const sandbox = await startSandbox({ port: target.port, host: '127.0.0.1' });
  logger.info(
    { sandbox: sandbox.baseUrl },
    'FRESHCHAT_API_URL and FRESHCHAT_API_TOKEN are not set: serving the embedded Freshchat sandbox (seeded demo data, not a real account)',
  );
  return {
    account: { id: target.accountId, baseUrl: sandbox.baseUrl, token: new Secret(sandbox.token) },
    closeUpstream: () => sandbox.close(),
  };
}

await main();
