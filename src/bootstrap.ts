import type { ApolloServerPlugin } from '@apollo/server';
import express from 'express';
import type { Dispatcher } from 'undici';
import type { KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import { configuredAccount, type Account, type AccountSource } from './account.js';
import { startAccounts, type Accounts } from './accounts/index.js';
import type { Registry } from './accounts/registry.js';
import { createWebhookKeys, parseWebhookKey } from './accounts/webhook-keys.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import type { AttemptInfo } from './freshchat/client.js';
import { createAccountTransports, type AccountTransports } from './freshchat/account-transport.js';
import { createDispatcher } from './freshchat/http.js';
import type { Logger } from './logger.js';
import { createSqlIdempotencyStore } from './idempotency/sql-store.js';
import type { IdempotencyStore } from './idempotency/store.js';
import { createAccountLabels } from './observability/account-labels.js';
import { createMetrics } from './observability/metrics.js';
import { createAttemptObserver, createResilienceLog, instrumentResilience } from './observability/upstream.js';
import { listenFailure } from './process/listen.js';
import { createResilience, type Resilience } from './resilience/index.js';
import { startSandbox, type Sandbox } from './sandbox/index.js';
import { Secret } from './secret.js';
import { createServer, type LayerSwitches, type SubgraphServer } from './server.js';
import { createSync, type Sync } from './sync/index.js';
import { cipherOf, rotateSecrets } from './webhooks-out/endpoint-secrets.js';
import { startWebhooksOut } from './webhooks-out/index.js';

export interface Subgraph {
  server: SubgraphServer;
  /** Per-account quota, breakers and retry budget, shared by every request of the process. */
  resilience: Resilience;
  /** The environment account (or the sandbox's); null when only linked accounts are served. */
  account: Account | null;
  /** Set when no Freshchat account is configured and the embedded sandbox serves instead. */
  sandbox: Sandbox | null;
  /** The change log: its poller and webhook receiver (docs/sync.md). */
  sync: Sync;
  /** The linked-accounts registry (its database and store), for tools and tests that look inside it. */
  registry: Registry;
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
  /** The change log's clock (poll leases, retention): tests move it instead of waiting. */
  now?: () => number;
  /** Bench-only: layers of the request path removed to price them (bench/layers.ts); never set otherwise. */
  layers?: LayerSwitches;
}

/**
 * The one wiring of the subgraph, shared by `npm start`, `npm run supergraph` and the tests:
 * config → dispatcher → account (or sandbox) → resilience → the accounts' one transport → linked
 * accounts → createServer. It does not listen.
 */
export async function bootstrap(config: Config, logger: Logger, options: BootstrapOptions = {}): Promise<Subgraph> {
  const dispatcher = createDispatcher(config.upstream);
  const { account, sandbox } = await linkAccount(config.target, logger);
  // Process-wide like the dispatcher: every request's calls to an account share one quota and breakers.
  const metrics = config.operations.metricsEnabled ? createMetrics() : undefined;
  const staticIds = new Set((options.accounts ?? []).map((account) => account.id));
  const labels = createAccountLabels({
    expose: config.accounts.exposeAccountIds,
    operatorIds: [...(account ? [account.id] : []), ...staticIds],
    key: config.accounts.credentialsKey?.reveal(),
  });
  const log = createResilienceLog(logger, metrics, labels);
  const guarded = createResilience(config.resilience, { log, catalogTtlMs: config.catalogCacheTtlMs });
  const resilience = metrics ? instrumentResilience(guarded, metrics) : guarded;
  const observeUpstream = createAttemptObserver(metrics, logger);
  // The credential lifecycle, set once the registry is open; no account's call is made before that.
  const lifecycle: { observe?: (account: Account, info: AttemptInfo) => void } = {};
  const transports = createAccountTransports({
    dispatcher,
    retry: config.upstream.retry,
    guardOf: (target) => resilience.forAccount(target),
    backgroundGuardOf: (target) => resilience.forBackground(target),
    observe: (target, info) => {
      observeUpstream(target, info);
      lifecycle.observe?.(target, info);
    },
  });
  // The environment account beside the linked ones (src/accounts): the registry opens here, so a wrong
  // CREDENTIALS_KEY stops the start.
  const linked = await startAccounts(config.accounts, {
    transports,
    logger,
    environment: account,
    production: config.production,
    maxAccounts: config.resilience.maxAccounts,
    // Webhook endpoint secrets are sealed under CREDENTIALS_KEY too: rotated with the tokens.
    rotateOthers: async (db) => {
      const cipher = cipherOf(config.accounts);
      return cipher ? rotateSecrets(db, cipher) : 0;
    },
  }).catch(async (error: unknown) => {
    await resilience.close();
    await sandbox?.close();
    throw error;
  });
  // The credential lifecycle is the registry's: accounts given here are not stored there.
  lifecycle.observe = (target, info) => (staticIds.has(target.id) ? undefined : linked.observeAttempt(target, info));
  // A retired key's guard, quota and adaptive rate go with it (in Redis too).
  linked.onChange(async ({ retiredKey }) => {
    if (retiredKey !== null) await resilience.forgetAccount(retiredKey);
  });
  const accounts = withStaticAccounts(linked.source, options.accounts ?? []);
  // Webhooks out: its own key check (endpoint secrets) stops the start like the accounts' one.
  const webhooks = await startWebhooksOut(config.webhooksOut, config.accounts, {
    registry: linked.registry,
    accounts,
    authenticate: linked.authenticate,
    logger,
  }).catch(async (error: unknown) => {
    await linked.close();
    await resilience.close();
    await sandbox?.close();
    throw error;
  });
  const routes = express.Router().use(webhooks.routes, linked.routes);
  const sync = createSubgraphSync(config, { linked, environment: account, sandbox, extra: options.accounts ?? [], transports, logger, now: options.now });
  const server = await createServer(config, {
    accounts,
    transports,
    logger,
    resilience,
    metrics,
    linked: { ...linked.wiring, routes },
    // Idempotency keys in the registry database, the environment account's too: they outlive the
    // process, and every replica sees every key (docs/design.md#writes-and-idempotency).
    idempotencyStore: options.idempotencyStore ?? createSqlIdempotencyStore(linked.registry.db),
    plugins: options.plugins,
    sync,
    layers: options.layers,
  });
  if (sandbox && account) announceTo(server.httpServer, sandbox, account.id);
  sync.start();
  const stop = async () => {
    await server.stop();
    await webhooks.close();
    await sync.stop();
    await linked.close();
    await resilience.close();
    await sandbox?.close();
    await closeDispatcher(dispatcher);
  };
  return { server, resilience, account, sandbox, registry: linked.registry, sync, stop };
}

interface SyncWiring {
  linked: Accounts;
  environment: Account | null;
  sandbox: Sandbox | null;
  /** Accounts an embedding program serves beside the others (BootstrapOptions.accounts). */
  extra: readonly Account[];
  transports: AccountTransports;
  logger: Logger;
  now: (() => number) | undefined;
}

/**
 * The change log (docs/sync.md) over the registry database: every served account is polled, at
 * background priority in its own quota; the environment account's webhooks are verified with
 * FRESHCHAT_WEBHOOK_PUBLIC_KEY, or with the sandbox's own key when the sandbox serves it.
 */
function createSubgraphSync(config: Config, wiring: SyncWiring): Sync {
  const { linked, environment, sandbox, extra, transports } = wiring;
  const served = [...(environment ? [environment] : []), ...extra];
  // Parsed at the first webhook: the sandbox's key pair is only generated when it is used.
  let environmentKey: KeyObject | null | undefined;
  const keyOfEnvironment = () => (environmentKey ??= toKey(sandbox ? sandbox.webhooks.publicKey : config.sync.webhookPublicKey));
  return createSync(config.sync, {
    db: linked.registry.db,
    logger: wiring.logger,
    accounts: async () => [...served, ...(await linked.linkedAccounts()).filter((a) => !served.some((s) => s.id === a.id))],
    exists: async (id) => served.some((a) => a.id === id) || (await linked.exists(id)),
    keys: createWebhookKeys(linked.registry.db),
    fixedKeyOf: (id) => (id === environment?.id ? keyOfEnvironment() : null),
    // A poll has no caller's deadline: it ends when the poller stops it, each call bounded by the
    // dispatcher's timeouts.
    clientFor: (account, signal) => transports.client(account, { deadline: { at: Number.POSITIVE_INFINITY, signal }, kind: 'background' }),
    pageSize: config.upstream.pageSize,
    databaseOpen: () => linked.registry.isOpen(),
    now: wiring.now,
  });
}

const toKey = (pem: string | undefined): KeyObject | null => (pem === undefined ? null : parseWebhookKey(pem));

/**
 * The sandbox announces its conversation writes to this subgraph's own receiver, once it listens
 * (the port is known then), so `npm start` runs the whole webhook flow on loopback.
 */
function announceTo(httpServer: Server, sandbox: Sandbox, accountId: string): void {
  httpServer.once('listening', () => {
    const address = httpServer.address();
    if (address === null || typeof address === 'string') return;
    const host = ['0.0.0.0', '::'].includes(address.address) ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
    sandbox.webhooks.sendTo(`http://${host}:${address.port}/webhooks/freshchat/${encodeURIComponent(accountId)}`);
  });
}

/** `accounts` first, then the source: an embedding program's accounts shadow nothing it did not give. */
function withStaticAccounts(source: AccountSource, accounts: readonly Account[]): AccountSource {
  if (accounts.length === 0) return source;
  const byId = new Map(accounts.map((account) => [account.id, account]));
  return { defaultId: source.defaultId, find: async (id, lookup) => byId.get(id) ?? source.find(id, lookup) };
}

/**
 * The configured Freshchat account, or the embedded sandbox when none is configured; in production
 * with neither (docs/design.md#how-it-runs, docs/design.md#linked-accounts), no default account: the linked accounts only.
 */
async function linkAccount(target: Config['target'], logger: Logger): Promise<{ account: Account | null; sandbox: Sandbox | null }> {
  if (target.kind === 'freshchat') {
    return { account: configuredAccount({ id: target.accountId, baseUrl: target.baseUrl, token: target.token, tenant: target.tenant }), sandbox: null };
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
  return { account: configuredAccount({ id: target.accountId, baseUrl: sandbox.baseUrl, token: new Secret(sandbox.token), tenant: target.tenant }), sandbox };
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
