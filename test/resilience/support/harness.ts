import { Writable } from 'node:stream';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Account } from '../../../src/account.js';
import { bootstrap } from '../../../src/bootstrap.js';
import { loadConfig } from '../../../src/config.js';
import type { Context } from '../../../src/context.js';
import { createLogger } from '../../../src/logger.js';
import { listen } from '../../../src/process/listen.js';
import type { Resilience } from '../../../src/resilience/index.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/index.js';
import { testDataDir } from '../../support/data-dir.js';

export const ACCOUNT_ID = 'acme';

/** /ready's linked-accounts detail when none is linked (test/accounts covers the others). */
export const NO_LINKED = { linked: 0, invalidCredentials: 0 };

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
  /** Queries sent through `query` and not answered yet. */
  queriesInFlight(): number;
  /**
   * For the fake-clock driver (test/resilience/support/clock.ts): true while real work is pending,
   * that is while an upstream request is being exchanged (and not held by a sandbox latency or hang
   * fault, which waits for the clock), or a query is anywhere but in GraphQL execution (on its way
   * in: HTTP, parsing, validation, context; or on its way out). During execution a query's upstream
   * calls are either in flight or parked on a timer (a quota turn, a Retry-After, a backoff, its
   * deadline), so only then may the clock jump: never while a slow machine is still receiving,
   * planning or answering a query.
   */
  busy: () => boolean;
  ready(): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Sandbox calls of one path prefix (default every /v2/ call). */
  calls(prefix?: string): { at: number; status: number }[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** A sandbox to share with other harnesses (not closed by this one), or options for a new one. */
  sandbox?: Sandbox | SandboxOptions;
  /** More accounts beside the default `acme` on the sandbox (an `acme` among them is ignored). */
  accounts?: (sandbox: Sandbox) => Account[];
  /** Apollo Server plugins beside the subgraph's own. */
  plugins?: ApolloServerPlugin<Context>[];
}

/**
 * The subgraph through the same bootstrap as `npm start` (resilience, metrics, linked accounts),
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
    DATA_DIR: testDataDir(),
    // Each /ready probe reaches Freshchat, so tests can assert on the fault they just injected.
    READY_CACHE_MS: '0',
    ...options.env,
  });
  const extra = options.accounts?.(sandbox).filter((account) => account.id !== ACCOUNT_ID) ?? [];
  const logs: LogLine[] = [];
  // The one wiring of `npm start`; the resilience layer's lines are recorded for assertions.
  const executing = executionGauge();
  const subgraph = await bootstrap(config, createLogger('info', resilienceLines(logs)), { accounts: extra, plugins: [executing.plugin, ...(options.plugins ?? [])] });
  const { resilience } = subgraph;
  const port = await listen(subgraph.server.httpServer, 0, '127.0.0.1', 'PORT');
  let pending = 0;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/graphql`,
    sandbox,
    resilience,
    logs,
    async query(query) {
      pending += 1;
      try {
        return await postQuery(`${base}/graphql`, query);
      } finally {
        pending -= 1;
      }
    },
    queriesInFlight: () => pending,
    busy: () => resilience.inFlight() > sandbox.holding || pending > executing.count(),
    async ready() {
      const res = await fetch(`${base}/ready`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    calls: (prefix = '/v2/') => sandbox.calls.filter((call) => call.path.startsWith(prefix)).map(({ at, status }) => ({ at, status })),
    async close() {
      await subgraph.stop();
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

/** The resilience layer's log lines (component "resilience"), as the fields and message it logged. */
function resilienceLines(logs: LogLine[]): Writable {
  const LEVELS: Record<number, LogLine['level']> = { 30: 'info', 40: 'warn' };
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n')) {
        if (text.trim() === '') continue;
        const { level, msg, component, time: _time, pid: _pid, hostname: _host, requestId: _id, ...fields } = JSON.parse(text) as Record<string, unknown>;
        const named = LEVELS[level as number];
        if (component === 'resilience' && named) logs.push({ level: named, fields, message: String(msg) });
      }
      done();
    },
  });
}

/** Counts GraphQL operations between the start and the end of their execution. */
function executionGauge(): { plugin: ApolloServerPlugin<Context>; count(): number } {
  let count = 0;
  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async executionDidStart() {
          count += 1;
          return {
            async executionDidEnd() {
              count -= 1;
            },
          };
        },
      };
    },
  };
  return { plugin, count: () => count };
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
