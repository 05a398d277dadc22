/**
 * The subgraph as built (like ./ours.ts), serving BENCH_LINKED_ACCOUNTS linked accounts from its
 * registry (PGlite in BENCH_DATA_DIR), all pointed at the bench sandbox. Linking is done once per
 * data directory, straight into the registry (the admin API would check each token with Freshchat
 * first). `registryReads` counts the registry's queries, so a run can show that warm accounts cost none.
 */
import type { AddressInfo } from 'node:net';
import { bootstrap } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { serveCommands } from '../ipc.js';

await serveCommands(async () => {
  const upstream = process.env.BENCH_UPSTREAM!;
  const token = process.env.BENCH_TOKEN!;
  const config = loadConfig({
    FRESHCHAT_API_URL: upstream,
    FRESHCHAT_API_TOKEN: token,
    FRESHCHAT_ACCOUNT_ID: 'bench',
    NODE_ENV: 'production',
    DATA_DIR: process.env.BENCH_DATA_DIR!,
    // No change-log polling: its background reads would be counted as the queries' upstream calls
    // and CPU (a product that wants polling pays it once per interval and account, not per query).
    SYNC_INTERVAL_S: '0',
    ...(JSON.parse(process.env.BENCH_ENV ?? '{}') as Record<string, string>),
  });
  const subgraph = await bootstrap(config, createLogger(config.logLevel));
  const { store, db } = subgraph.registry;
  const wanted = Number(process.env.BENCH_LINKED_ACCOUNTS);
  const linked = new Set((await store.list()).map((account) => account.id));
  for (let i = 0; i < wanted; i++) {
    const id = `acc-${i}`;
    if (!linked.has(id)) await store.insert({ id, name: id, apiUrl: upstream, tenant: null, token });
  }
  let reads = 0;
  const query = db.query.bind(db);
  db.query = (sql, params) => ((reads += 1), query(sql, params));
  const { httpServer } = subgraph.server;
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, handlers: { registryReads: () => reads } };
});
