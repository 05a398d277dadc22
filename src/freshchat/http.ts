import { Agent } from 'undici';
import type { Dispatcher } from 'undici';

/**
 * Per-connection limits of the shared dispatcher. Every undici default is replaced on purpose; the
 * values and why they were chosen live in src/config.ts (UPSTREAM_*), the one source of defaults.
 */
export interface HttpOptions {
  /** TCP + TLS handshake budget (undici default 10 s). */
  connectTimeoutMs: number;
  /** Time from sending a request to its last response header (undici default 300 s). */
  headersTimeoutMs: number;
  /** Longest silence between two body chunks (undici default 300 s). */
  bodyTimeoutMs: number;
  /** How long an idle socket is kept for reuse; a server keep-alive hint may shorten it. */
  keepAliveTimeoutMs: number;
  /** Sockets per origin. undici's default is unlimited, which only helps to trip 429s. */
  connectionsPerOrigin: number;
}

/**
 * The one process-wide dispatcher, created at start-up and injected into every client (never set
 * as undici's global dispatcher, so tests can pass a MockAgent instead). Retries are not composed
 * in here: they need per-call knowledge (idempotency, deadline) that only the client has.
 */
export function createDispatcher(options: HttpOptions): Dispatcher {
  return new Agent({
    connectTimeout: options.connectTimeoutMs,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    connections: options.connectionsPerOrigin,
    pipelining: 1, // keep-alive without pipelining: one request in flight per socket
  });
}
