/**
 * (a) The subgraph as built: config → bootstrap → HTTP, exactly as `npm start` wires it (resilience,
 * metrics, access logs at the default level — written to the child's stdout, which the bench discards).
 * BENCH_LAYERS (bench/layers.ts only): bench-only switches that remove one layer each (src/server.ts).
 */
import type { AddressInfo } from 'node:net';
import { bootstrap } from '../../src/bootstrap.js';
import type { LayerSwitches } from '../../src/server.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { serveCommands } from '../ipc.js';

export const ACCOUNT_ID = 'bench';

await serveCommands(async () => {
  // Only these settings, never the environment's own (a caller's DATABASE_URL, REDIS_URL, ...): the
  // bench's temporary DATA_DIR (bench/ipc.ts), then BENCH_ENV's settings over the bench's defaults.
  const config = loadConfig({
    FRESHCHAT_API_URL: process.env.BENCH_UPSTREAM!,
    FRESHCHAT_API_TOKEN: process.env.BENCH_TOKEN!,
    FRESHCHAT_ACCOUNT_ID: ACCOUNT_ID,
    NODE_ENV: 'production',
    DATA_DIR: process.env.DATA_DIR!,
    // No change-log polling: its background reads would be counted as the queries' upstream calls
    // and CPU (a product that wants polling pays it once per interval and account, not per query).
    SYNC_INTERVAL_S: '0',
    ...(JSON.parse(process.env.BENCH_ENV ?? '{}') as Record<string, string>),
  });
  const layers = JSON.parse(process.env.BENCH_LAYERS ?? '{}') as LayerSwitches;
  const subgraph = await bootstrap(config, createLogger(config.logLevel), { layers });
  const { httpServer } = subgraph.server;
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, handlers: { dataDir: () => config.accounts.dataDir } };
});
