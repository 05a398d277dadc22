import { createServer, type RequestListener, type Server } from 'node:http';

// A router gives up on a subgraph after 30 s by default: a request still arriving by then is not
// worth reading (this also bounds slow-header and slow-body clients, Node's defaults being 60/300 s).
export const ROUTER_TIMEOUT_MS = 30_000;
// Node checks the two timeouts above only this often (default 30 s, so a slow client could hold a
// socket for up to 60 s); every second keeps the bound within a second of 30 s.
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/**
 * The HTTP server of every subgraph process here: bounded receive time and open connections
 * (beyond `maxConnections`, new sockets are closed at accept). Never listens.
 */
export function createBoundedHttpServer(app: RequestListener, options: { maxConnections: number }): Server {
  const server = createServer(
    { requestTimeout: ROUTER_TIMEOUT_MS, headersTimeout: ROUTER_TIMEOUT_MS, connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS },
    app,
  );
  server.maxConnections = options.maxConnections;
  return server;
}
