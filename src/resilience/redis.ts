/**
 * The Redis connection that lets replicas share each account's quota and catalogs. Tuned to fail
 * fast, never to wait: while Redis is down every command is refused at once (no offline queue, no
 * resend), so the quota falls back to its in-process insurance limiter and the catalog cache to
 * memory, and a query never waits on Redis longer than one command timeout.
 */
import { Redis } from 'ioredis';

export type StoreStatus = 'ok' | 'unavailable';

/** The two log levels this layer uses; a pino logger fits. */
export interface ResilienceLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface SharedStore {
  readonly client: Redis;
  /** What the connection's events last said. */
  status(): StoreStatus;
  /**
   * Asks Redis itself (PING, within the command timeout). A server that accepts TCP but does not
   * answer (frozen, swapping, wedged) raises no connection event, so only this notices it; the
   * connection is then dropped, so that every command goes straight to the in-process fallback
   * instead of waiting out its timeout, until Redis answers again.
   */
  check(): Promise<StoreStatus>;
  close(): Promise<void>;
}

/** A hung Redis costs a call (and /ready's check) at most this long before the in-process fallback answers. */
const COMMAND_TIMEOUT_MS = 500;

export function connectRedis(url: string, log: ResilienceLog): SharedStore {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 1_000,
    // Keep reconnecting for ever, at most every 2 s: shared limits come back by themselves.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let state: 'connecting' | StoreStatus = 'connecting';
  const move = (next: StoreStatus, code?: string) => {
    if (next === state) return;
    const first = state === 'connecting';
    state = next;
    // Never the URL or the error message: either may carry the Redis password.
    if (next === 'ok') log.info({ redis: 'ok' }, 'Redis connected: rate limits and catalogs are shared across replicas');
    else log.warn({ redis: 'unavailable', code }, `Redis ${first ? 'unreachable' : 'lost'}: using in-process limits until it is back`);
  };
  client.on('ready', () => move('ok'));
  client.on('close', () => move('unavailable'));
  client.on('error', (error: Error & { code?: string }) => move('unavailable', error.code)); // a listener is required
  const status = (): StoreStatus => (state === 'ok' ? 'ok' : 'unavailable');
  return {
    client,
    status,
    async check() {
      if (client.status !== 'ready') return 'unavailable';
      try {
        await client.ping();
        return status();
      } catch {
        if (client.status === 'ready') {
          move('unavailable', 'ETIMEDOUT');
          client.disconnect(true); // and reconnect: 'ready' again once the server answers
        }
        return 'unavailable';
      }
    },
    close: async () => client.disconnect(),
  };
}
