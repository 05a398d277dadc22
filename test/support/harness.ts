import { bootstrap } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import type { IdempotencyStore } from '../../src/idempotency/store.js';
import { listen } from '../../src/process/listen.js';
import { toGlobalId } from '../../src/relay/ids.js';
import { testDataDir } from './data-dir.js';

export const ACCOUNT_ID = 'acme';

/** The global id the subgraph gives a Freshchat object of the harness account. */
export const globalId = (typename: string, remoteId: string, accountId = ACCOUNT_ID): string =>
  toGlobalId({ provider: 'freshchat', typename, accountId, remoteId });

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface Harness {
  url: string;
  /** The server's origin, e.g. `http://127.0.0.1:PORT` (for /proxy/...). */
  origin: string;
  sandbox: Sandbox;
  /** POSTs one operation over loopback HTTP, like a router would. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Upstream calls the sandbox saw since the last reset, optionally only GETs of one path prefix. */
  upstreamCalls(prefix?: string): number;
  close(): Promise<void>;
}

/**
 * The real subgraph against a sandbox on loopback, through the same bootstrap as `npm start`
 * (resilience, metrics and linked accounts wired), with the catalog cache off so upstream call counts
 * are per request (a test about the cache turns it on through `env`).
 */
export async function startHarness(
  options: {
    /** Options for a sandbox of its own, or a running sandbox to share with another harness (a replica). */
    sandbox?: SandboxOptions | Sandbox;
    env?: Record<string, string>;
    accountId?: string;
    /** Idempotency keys shared with another harness (replicas); by default the registry's. */
    idempotencyStore?: IdempotencyStore;
  } = {},
): Promise<Harness> {
  const accountId = options.accountId ?? ACCOUNT_ID;
  const given = options.sandbox;
  const shared = given !== undefined && 'baseUrl' in given ? given : undefined;
  const sandbox = shared ?? (await startSandbox(given));
  const config = loadConfig({
    FRESHCHAT_API_URL: sandbox.baseUrl,
    FRESHCHAT_API_TOKEN: sandbox.token,
    FRESHCHAT_ACCOUNT_ID: accountId,
    CATALOG_CACHE_TTL_MS: '0',
    UPSTREAM_RETRY_BASE_MS: '5',
    UPSTREAM_RETRY_MAX_MS: '20',
    LOG_LEVEL: 'silent',
    // Each /ready probe reaches Freshchat, so tests can assert on a fault they just injected.
    READY_CACHE_MS: '0',
    // Out of the way unless a test is about the quota (a real account's default is 100 a minute).
    FRESHCHAT_RATE_LIMIT_PER_MINUTE: '60000',
    DATA_DIR: testDataDir(),
    ...options.env,
  });
  // The one wiring of `npm start` (resilience, metrics, linked accounts), on the harness's sandbox.
  const subgraph = await bootstrap(config, createLogger('silent'), { idempotencyStore: options.idempotencyStore });
  const port = await listen(subgraph.server.httpServer, 0, '127.0.0.1', 'PORT');
  const url = `http://127.0.0.1:${port}/graphql`;

  return {
    url,
    origin: `http://127.0.0.1:${port}`,
    sandbox,
    async query<T>(query: string, variables?: Record<string, unknown>) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as Omit<GraphQLResponse<T>, 'status'>) };
    },
    upstreamCalls: (prefix = '/v2/') => sandbox.calls.filter((call) => call.path.startsWith(prefix)).length,
    async close() {
      await subgraph.stop();
      if (shared === undefined) await sandbox.close();
    },
  };
}
