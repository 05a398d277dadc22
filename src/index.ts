/**
 * Process entry (`npm start`): .env → config → tracing (when configured, before the server's modules
 * load) → bootstrap → listen. One shutdown path on SIGINT/SIGTERM; any start failure is one line and
 * exit 1 (docs/design.md#how-it-runs, docs/design.md#operations).
 */
import { loadConfig } from './config.js';
import { loadOrExit } from './exit-on-config-error.js';
import { loadDotEnv, onTerminationSignals, startOrExit } from './process/start.js';

const EXAMPLE_QUERY = '{ freshchat { ticketingUsers(first: 3) { totalCount nodes { name role { name } } } } }';

loadDotEnv();
const config = loadOrExit(() => loadConfig(process.env));

await startOrExit('freshchat subgraph', async () => {
  const { otlpEndpoint, serviceName, shutdownTimeoutMs } = config.operations;
  const tracing = otlpEndpoint === undefined ? undefined : (await import('./observability/tracing.js')).startTracing({ endpoint: otlpEndpoint, serviceName });
  const { createLogger } = await import('./logger.js');
  const { prettyDestination } = await import('./observability/pretty.js');
  const logger = createLogger(config.logLevel, await prettyDestination({ production: config.production, isTTY: process.stdout.isTTY }));
  const { bootstrap } = await import('./bootstrap.js');
  const { listen } = await import('./process/listen.js');

  const subgraph = await bootstrap(config, logger);
  onTerminationSignals({
    stop: async () => {
      await subgraph.stop();
      await tracing?.shutdown();
    },
    timeoutMs: shutdownTimeoutMs,
    log: (fields, message) => logger.info(fields, message),
  });
  const port = await listen(subgraph.server.httpServer, config.port, config.host, 'PORT');
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`;
  logger.info({ url, account: subgraph.account?.id ?? null, tracing: otlpEndpoint !== undefined, metrics: config.operations.metricsEnabled }, `Freshchat subgraph ready at ${url}`);
  if (subgraph.sandbox) {
    // The sandbox signs the webhooks it sends for conversation writes; a receiver elsewhere needs this key.
    logger.info(
      { webhookUrl: subgraph.sandbox.webhooks.url, webhookPublicKey: subgraph.sandbox.webhooks.publicKey },
      'sandbox: conversation writes are sent as signed Freshchat webhooks to this subgraph (docs/sync.md)',
    );
    // Printed as is, not inside a JSON log string, so that it can be copied into a shell.
    process.stdout.write(`try: curl -s ${url} -H 'content-type: application/json' -d '${JSON.stringify({ query: EXAMPLE_QUERY })}'\n`);
  }
});
