import type { AddressInfo } from 'node:net';
import { createStaticAccountSource } from '../../src/account.js';
import { loadConfig } from '../../src/config.js';
import { createDispatcher } from '../../src/freshchat/http.js';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { Secret } from '../../src/secret.js';
import { createServer, type ServerDeps } from '../../src/server.js';
import { createResilience } from '../../src/resilience/index.js';
import { toGlobalId } from '../../src/relay/ids.js';

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
 * The real subgraph (config → server → HTTP) against a sandbox on loopback, as `npm start` wires it,
 * with the catalog cache off so upstream call counts are per request.
 */
export async function startHarness(
  options: {
    sandbox?: SandboxOptions;
    env?: Record<string, string>;
    accountId?: string;
    /** Quota, concurrency limit and breakers in front of Freshchat, as `npm start` has them. */
    resilience?: boolean;
    idempotencyStore?: ServerDeps['idempotencyStore'];
  } = {},
): Promise<Harness> {
  const accountId = options.accountId ?? ACCOUNT_ID;
  const sandbox = await startSandbox(options.sandbox);
  const config = loadConfig({
    FRESHCHAT_API_URL: sandbox.baseUrl,
    FRESHCHAT_API_TOKEN: sandbox.token,
    FRESHCHAT_ACCOUNT_ID: accountId,
    CATALOG_CACHE_TTL_MS: '0',
    UPSTREAM_RETRY_BASE_MS: '5',
    UPSTREAM_RETRY_MAX_MS: '20',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const dispatcher = createDispatcher(config.upstream);
  const account = { id: accountId, baseUrl: sandbox.baseUrl, token: new Secret(sandbox.token), tenant: null };
  const logger = createLogger('silent');
  const resilience = options.resilience ? createResilience(config.resilience, { log: logger, catalogTtlMs: config.catalogCacheTtlMs }) : undefined;
  const server = await createServer(config, {
    accounts: createStaticAccountSource([account], accountId),
    dispatcher,
    logger,
    resilience,
    idempotencyStore: options.idempotencyStore,
  });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = server.httpServer.address() as AddressInfo;
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
      await server.stop();
      await resilience?.close();
      await dispatcher.close();
      await sandbox.close();
    },
  };
}
