import type { ApolloServerPlugin } from '@apollo/server';
import type { Dispatcher } from 'undici';
import type { Account, AccountSource } from './account.js';
import { startAccounts } from './accounts/index.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import type { AttemptInfo } from './freshchat/client.js';
import { createDispatcher } from './freshchat/http.js';
import type { Logger } from './logger.js';
import { registryIdempotencyStore } from './idempotency/sql-store.js';
import type { IdempotencyStore } from './idempotency/store.js';
import { createMetrics } from './observability/metrics.js';
import { createAttemptObserver, createResilienceLog, instrumentResilience } from './observability/upstream.js';
import { listenFailure } from './process/listen.js';
import { createResilience, type Resilience } from './resilience/index.js';
import { startSandbox, type Sandbox } from './sandbox/index.js';
import { Secret } from './secret.js';
import { createServer, type SubgraphServer } from './server.js';

export interface Subgraph {
  server: SubgraphServer;
  /** Per-account quota, breakers and retry budget, shared by every request of the process. */
  resilience: Resilience;
  /** The environment account (or the sandbox's); null when only linked accounts are served. */
  account: Account | null;
  /** Set when no Freshchat account is configured and the embedded sandbox serves instead. */
  sandbox: Sandbox | null;
  /** Drains GraphQL, then closes limits, the sandbox and upstream sockets. */
  stop(): Promise<void>;
}

export interface BootstrapOptions {
  /**
   * Accounts served beside the environment and linked ones, read-only like the environment account:
   * for a program that embeds the subgraph with accounts of its own (and for tests with several).
   */
  accounts?: readonly Account[];
  /** Where idempotency keys live; the registry database by default (replicas in one test share one). */
  idempotencyStore?: IdempotencyStore;
  /** Apollo Server plugins added after the subgraph's own (an embedding program's telemetry, tests' probes). */
  plugins?: ApolloServerPlugin<Context>[];
}

/**
 * The one wiring of the subgraph, shared by `npm start`, `npm run supergraph` and the tests:
 * config → dispatcher → account (or sandbox) → linked accounts → resilience → createServer. It does
 * not listen.
 */
export async function bootstrap(config: Config, logger: Logger, options: BootstrapOptions = {}): Promise<Subgraph> {
  const dispatcher = createDispatcher(config.upstream);
  const { account, sandbox } = await linkAccount(config.target, logger);
  // The environment account beside the linked ones (src/accounts): the registry opens here, so a wrong
  // CREDENTIALS_KEY stops the start.
  const linked = await startAccounts(config.accounts, { dispatcher, logger, environment: account, production: config.production });
  // Process-wide like the dispatcher: every request's calls to an account share one quota and breakers.
  const metrics = config.operations.metricsEnabled ? createMetrics() : undefined;
  const log = createResilienceLog(logger, metrics);
  const guarded = createResilience(config.resilience, { log, catalogTtlMs: config.catalogCacheTtlMs });
  const resilience = metrics ? instrumentResilience(guarded, metrics) : guarded;
  const observeUpstream = createAttemptObserver(metrics, logger);
  const staticIds = new Set((options.accounts ?? []).map((account) => account.id));
  const onAttempt = (account: Account, info: AttemptInfo) => {
    observeUpstream(account, info);
    // The credential lifecycle is the registry's: accounts given here are not stored there.
    if (!staticIds.has(account.id)) linked.observeAttempt(account, info);
  };
  const server = await createServer(config, {
    accounts: withStaticAccounts(linked.source, options.accounts ?? []),
    dispatcher,
    logger,
    resilience,
    metrics,
    onAttempt,
    linked: { routes: linked.routes, authenticate: linked.authenticate, readiness: linked.readiness },
    // Idempotency keys in the registry database, so every replica sees every key (docs/design.md#writes-and-idempotency).
    idempotencyStore: options.idempotencyStore ?? registryIdempotencyStore(linked.registry),
    plugins: options.plugins,
  });
  const stop = async () => {
    await server.stop();
    await linked.close();
    await resilience.close();
    await sandbox?.close();
    await closeDispatcher(dispatcher);
  };
  return { server, resilience, account, sandbox, stop };
}

/** `accounts` first, then the source: an embedding program's accounts shadow nothing it did not give. */
function withStaticAccounts(source: AccountSource, accounts: readonly Account[]): AccountSource {
  if (accounts.length === 0) return source;
  const byId = new Map(accounts.map((account) => [account.id, account]));
  return { defaultId: source.defaultId, find: async (id) => byId.get(id) ?? source.find(id) };
}

/**
 * The configured Freshchat account, or the embedded sandbox when none is configured; in production
 * with neither (docs/design.md#how-it-runs, docs/design.md#linked-accounts), no default account: the linked accounts only.
 */
async function linkAccount(target: Config['target'], logger: Logger): Promise<{ account: Account | null; sandbox: Sandbox | null }> {
  if (target.kind === 'freshchat') {
    return { account: { id: target.accountId, baseUrl: target.baseUrl, token: target.token, tenant: null }, sandbox: null };
  }
  if (target.kind === 'none') {
    // Never seeded demo data in production by accident (docs/design.md#operations): FRESHCHAT_SANDBOX=true asks for it.
    logger.info(
      'NODE_ENV=production and no FRESHCHAT_API_URL/FRESHCHAT_API_TOKEN: serving linked accounts only (no default account, no sandbox)',
    );
    return { account: null, sandbox: null };
  }
  // Deletions Freshchat accepts (202) are done a few seconds later, as upstream does them later too.
  const sandbox = await startSandbox({ port: target.port, host: '127.0.0.1', deletionDelayMs: 3_000 }).catch((error: unknown) =>
    Promise.reject(listenFailure(error, target.port, '127.0.0.1', 'SANDBOX_PORT')),
  );
  logger.info(
    { sandbox: sandbox.baseUrl },
    'FRESHCHAT_API_URL and FRESHCHAT_API_TOKEN are not set: serving the embedded Freshchat sandbox (seeded demo data, not a real account)',
  );
  return { account: { id: target.accountId, baseUrl: sandbox.baseUrl, token: new Secret(sandbox.token), tenant: null }, sandbox };
}

/**
 * Closes the upstream pool, waiting at most `graceMs` for calls still in flight: the drain has already
 * given up on the requests that made them, and undici's `close()` would wait for each (up to the
 * body timeout). The process entry exits right after, which ends them.
 */
async function closeDispatcher(dispatcher: Dispatcher, graceMs = 500): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([dispatcher.close().catch(() => undefined), grace]);
  clearTimeout(timer);
}
