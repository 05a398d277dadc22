import { Writable } from 'node:stream';
import { configuredAccount, type Account } from '../../src/account.js';
import { bootstrap } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { listen } from '../../src/process/listen.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { Secret } from '../../src/secret.js';
import type { GraphQLResponse } from '../support/harness.js';
import { testDataDir } from '../support/data-dir.js';

/** The two linked accounts: `a` (default) and `b`, each on its own sandbox with its own data and token. */
export const TOKENS = { a: 'fc-token-a-7d3f9c1e2b', b: 'fc-token-b-41e8a0c6d5' } as const;
export type AccountName = keyof typeof TOKENS;

export interface HardenedHarness {
  url: string;
  base: string;
  sandboxes: Record<AccountName, Sandbox>;
  /** Every log line the server wrote, as written (JSON text). */
  logs: string[];
  /** Every response body the harness received, as received. */
  bodies: string[];
  /** POSTs an operation as a router would, recording the body. */
  query<T = Record<string, unknown>>(query: string, variables?: unknown, extra?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Any request to the server, recording the body. */
  fetch(path: string, init?: RequestInit): Promise<{ status: number; contentType: string | null; text: string }>;
  /** Freshchat calls since the last reset, per sandbox or in all. */
  upstreamCalls(account?: AccountName): number;
  resetCalls(): void;
  close(): Promise<void>;
}

export interface HardenedOptions {
  env?: Record<string, string>;
  /** The token the server sends for account `a` (default: the one its sandbox accepts). */
  tokenA?: string;
  logLevel?: string;
}

/**
 * The subgraph through the same bootstrap as `npm start`, with two accounts and every log line
 * captured through an injected pino destination. Catalog cache off, so upstream counts are per request.
 */
export async function startHardened(options: HardenedOptions = {}): Promise<HardenedHarness> {
  const sandboxes = { a: await startSandbox({ token: TOKENS.a, seed: 1 }), b: await startSandbox({ token: TOKENS.b, seed: 2 }) };
  const config = loadConfig({
    FRESHCHAT_API_URL: sandboxes.a.baseUrl,
    FRESHCHAT_API_TOKEN: options.tokenA ?? TOKENS.a,
    FRESHCHAT_ACCOUNT_ID: 'a',
    CATALOG_CACHE_TTL_MS: '0',
    UPSTREAM_RETRY_BASE_MS: '5',
    UPSTREAM_RETRY_MAX_MS: '20',
    // Out of the way unless a test is about the quota (a real account's default is 100 a minute).
    FRESHCHAT_RATE_LIMIT_PER_MINUTE: '60000',
    DATA_DIR: testDataDir(),
    READY_CACHE_MS: '0',
    ...options.env,
  });
  const account = (id: AccountName, token: string): Account => configuredAccount({ id, baseUrl: sandboxes[id].baseUrl, token: new Secret(token) });
  const logs: string[] = [];
  const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(chunk.toString()), done()) });
  // The one wiring of `npm start`; account b is served beside the environment account a.
  const subgraph = await bootstrap(config, createLogger(options.logLevel ?? 'trace', destination), { accounts: [account('b', TOKENS.b)] });
  const port = await listen(subgraph.server.httpServer, 0, '127.0.0.1', 'PORT');
  const base = `http://127.0.0.1:${port}`;
  const bodies: string[] = [];

  const send = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    bodies.push(text);
    return { status: res.status, contentType: res.headers.get('content-type'), text };
  };
  return {
    url: `${base}/graphql`,
    base,
    sandboxes,
    logs,
    bodies,
    fetch: send,
    async query<T>(query: string, variables?: unknown, extra: Record<string, unknown> = {}) {
      const body = JSON.stringify({ query, variables, ...extra });
      const res = await send('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: res.status, ...(JSON.parse(res.text) as Omit<GraphQLResponse<T>, 'status'>) };
    },
    upstreamCalls: (name) => (name ? sandboxes[name].calls.length : sandboxes.a.calls.length + sandboxes.b.calls.length),
    resetCalls: () => (sandboxes.a.resetCalls(), sandboxes.b.resetCalls()),
    async close() {
      await subgraph.stop();
      await Promise.all([sandboxes.a.close(), sandboxes.b.close()]);
    },
  };
}

/** The error codes of a response, in order. */
export const codesOf = (res: GraphQLResponse<unknown>): unknown[] => (res.errors ?? []).map((e) => e.extensions?.code);
