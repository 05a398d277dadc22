import { createServer, type RequestListener, type Server } from 'node:http';
import type { ConnectionLimits } from '../config.js';
import { guardConnections, type OnClientCapped } from './connection-fairness.js';

// A router gives up on a subgraph after 30 s by default: a request still arriving by then is not
// worth reading (this also bounds slow-header and slow-body clients, Node's defaults being 60/300 s).
export const ROUTER_TIMEOUT_MS = 30_000;
// Node checks the two timeouts above only this often (default 30 s, so a slow client could hold a
// socket for up to 60 s); every second keeps the bound within a second of 30 s.
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/**
 * The HTTP server of every subgraph process here: bounded receive time, open connections in all
 * and per client address, and how long a new connection may stay silent (./connection-fairness.ts).
 * Never listens.
 */
export function createBoundedHttpServer(app: RequestListener, limits: ConnectionLimits, onCapped?: OnClientCapped): Server {
  const server = createServer(
    { requestTimeout: ROUTER_TIMEOUT_MS, headersTimeout: ROUTER_TIMEOUT_MS, connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS },
    app,
  );
  server.maxConnections = limits.maxConnections;
  guardConnections(server, { perClient: limits.maxConnectionsPerClient, firstByteTimeoutMs: limits.firstByteTimeoutMs }, onCapped);
  return server;
}

/** The log line of a client capped by MAX_CONNECTIONS_PER_CLIENT: once per episode, not per refused socket. */
export function warnCappedClient(log: { warn(fields: object, message: string): void }): OnClientCapped {
  return (client) => log.warn({ client }, 'a client reached MAX_CONNECTIONS_PER_CLIENT: its further connections are closed at accept');
}
