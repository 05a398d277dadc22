import type { AddressInfo } from 'node:net';
import { createStaticAccountSource, type Account } from '../../../src/account.js';
import { loadConfig } from '../../../src/config.js';
import { createDispatcher } from '../../../src/freshchat/http.js';
import { createLogger } from '../../../src/logger.js';
import { createResilience, type Resilience, type ResilienceLog } from '../../../src/resilience/index.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/index.js';
import { Secret } from '../../../src/secret.js';
import { createServer } from '../../../src/server.js';

export const ACCOUNT_ID = 'acme';

/** One ticketingUsers page: exactly one upstream call (GET /v2/agents). */
export const AGENTS_QUERY = `{ freshchat { ticketingUsers(first: 3) { totalCount nodes { name } } } }`;
export const GROUPS_QUERY = `{ freshchat { groups(first: 3) { totalCount nodes { name } } } }`;
export const agentsQueryFor = (accountId: string) =>
  `{ freshchat(accountId: "${accountId}") { ticketingUsers(first: 3) { totalCount nodes { name } } } }`;

export interface GraphQLResponse {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface LogLine {
  level: 'info' | 'warn';
  fields: object;
  message: string;
}

export interface GuardedHarness {
  url: string;
  sandbox: Sandbox;
  resilience: Resilience;
  logs: LogLine[];
  query(query: string): Promise<GraphQLResponse>;
  ready(): Promise<{ status: number; body: Record<string, string> }>;
  /** Sandbox calls of one path prefix (default every /v2/ call). */
  calls(prefix?: string): { at: number; status: number }[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** A sandbox to share with other harnesses (not closed by this one), or options for a new one. */
  sandbox?: Sandbox | SandboxOptions;
  /** The linked accounts, the first being the default; by default `acme` on the sandbox. */
  accounts?: (sandbox: Sandbox) => Account[];
}

/**
 * The subgraph as src/index.ts wires it, resilience included (config → resilience → server → HTTP),
 * against a sandbox on loopback. Logs of the resilience layer are recorded for assertions.
 */
export async function startGuardedHarness(options: HarnessOptions = {}): Promise<GuardedHarness> {
  const owned = !isSandbox(options.sandbox);
  const sandbox = isSandbox(options.sandbox) ? options.sandbox : await startSandbox(options.sandbox);
  const config = loadConfig({
    FRESHCHAT_API_URL: sandbox.baseUrl,
    FRESHCHAT_API_TOKEN: sandbox.token,
    FRESHCHAT_ACCOUNT_ID: ACCOUNT_ID,
    CATALOG_CACHE_TTL_MS: '0',
    UPSTREAM_RETRY_BASE_MS: '5',
    UPSTREAM_RETRY_MAX_MS: '20',
    LOG_LEVEL: 'silent',
    // Out of the way unless a test is about the quota (the default, 100/min, spends 3 per 2 s).
    FRESHCHAT_RATE_LIMIT_PER_MINUTE: '60000',
    ...options.env,
  });
  const dispatcher = createDispatcher(config.upstream);
  const accountList = options.accounts?.(sandbox) ?? [{ id: ACCOUNT_ID, baseUrl: sandbox.baseUrl, token: new Secret(sandbox.token), tenant: null }];
  const accounts = createStaticAccountSource(accountList, accountList[0]!.id);
  const logs: LogLine[] = [];
  const resilience = createResilience(config.resilience, { log: recorder(logs), catalogTtlMs: config.catalogCacheTtlMs });
  const server = await createServer(config, { accounts, dispatcher, logger: createLogger('silent'), resilience });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = server.httpServer.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/graphql`,
    sandbox,
    resilience,
    logs,
    query: (query) => postQuery(`${base}/graphql`, query),
    async ready() {
      const res = await fetch(`${base}/ready`);
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    },
    calls: (prefix = '/v2/') => sandbox.calls.filter((call) => call.path.startsWith(prefix)).map(({ at, status }) => ({ at, status })),
    async close() {
      await server.stop();
      await resilience.close();
      await dispatcher.close();
      if (owned) await sandbox.close();
    },
  };
}

export async function postQuery(url: string, query: string): Promise<GraphQLResponse> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: res.status, ...((await res.json()) as Omit<GraphQLResponse, 'status'>) };
}

/** The one error code of a response that failed as a whole. */
export const codeOf = (res: GraphQLResponse): unknown => res.errors?.[0]?.extensions?.code;

function isSandbox(value: HarnessOptions['sandbox']): value is Sandbox {
  return value !== undefined && 'baseUrl' in value;
}

function recorder(logs: LogLine[]): ResilienceLog {
  return {
    info: (fields, message) => void logs.push({ level: 'info', fields, message }),
    warn: (fields, message) => void logs.push({ level: 'warn', fields, message }),
  };
}

/** Runs `test` against a harness of its own, closed afterwards: lets tests run concurrently. */
export async function withHarness<T>(options: HarnessOptions, test: (h: GuardedHarness) => Promise<T>): Promise<T> {
  const h = await startGuardedHarness(options);
  try {
    return await test(h);
  } finally {
    await h.close();
  }
}
