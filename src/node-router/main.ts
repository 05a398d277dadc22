/**
 * `npm run node-router`: the node-router subgraph on its own (PORT, default 4002). It is shippable
 * apart from the Freshchat subgraph; list every helpdesk's Node types in NODE_ROUTER_TYPES.
 */
import type { AddressInfo } from 'node:net';
import { loadOrExit } from '../exit-on-config-error.js';
import { loadNodeRouterConfig } from './config.js';
import { createNodeRouterServer } from './server.js';

const config = loadOrExit(() => loadNodeRouterConfig(process.env));
const server = await createNodeRouterServer({ typenames: config.typenames, production: config.production });
await new Promise<void>((resolve) => server.httpServer.listen(config.port, config.host, resolve));
const { port } = server.httpServer.address() as AddressInfo;
console.log(`node-router subgraph ready at http://localhost:${port}/graphql for ${config.typenames.join(', ')}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.stop().then(() => process.exit(0)));
}
