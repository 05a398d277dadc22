import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { startAccounts, type Accounts } from '../../src/accounts/index.js';
import type { LinkedAccount } from '../../src/accounts/store.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createAccountTransports } from '../../src/freshchat/account-transport.js';
import { createDispatcher } from '../../src/freshchat/http.js';
import { createLogger } from '../../src/logger.js';
import { createServer } from '../../src/server.js';
import { createPglite, type TestDatabase } from './databases.js';

export const ADMIN_TOKEN = 'admin-token-0123456789-0123456789-abcdef';

/** FRESHCHAT_ALLOWED_HOSTS for Freshchat and the given servers (ports are listed explicitly, like an operator would). */
export const allowing = (...urls: string[]): string => ['*.freshchat.com', ...urls.map((url) => new URL(url).host)].join(',');

/** Every answer shape of the admin API (docs/design.md#linked-accounts). */
export interface AdminBody {
  account?: LinkedAccount;
  accounts?: LinkedAccount[];
  error?: { code: string; message: string; field?: string };
  url?: string;
  expiresAt?: string;
}

export interface AccountsApp {
  url: string;
  accounts: Accounts;
  /** Every log line written so far. */
  logs(): string;
  admin(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: AdminBody | undefined }>;
  close(): Promise<void>;
}

/** The settings of an app on `database`: the admin token, a key, loopback allowed; `env` on top (undefined unsets). */
export function testConfig(database: TestDatabase, env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    DATA_DIR: database.dataDir,
    ADMIN_TOKEN,
    CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
    FRESHCHAT_ALLOWED_HOSTS: '*.freshchat.com,127.0.0.1',
    LOG_LEVEL: 'info',
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl.reveal() } : {}),
    ...env,
  });
}

/**
 * /admin and /link as src/server.ts mounts them, on a fresh PGlite registry, configured through
 * loadConfig like the process (so the settings' parsing is exercised too).
 */
export async function startAccountsApp(env: Record<string, string> = {}, options: { now?: () => number; database?: TestDatabase } = {}): Promise<AccountsApp> {
  const database = options.database ?? (await createPglite());
  const config = testConfig(database, env);
  let logs = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((logs += String(chunk)), done()) });
  const dispatcher = createDispatcher(config.upstream);
  const transports = createAccountTransports({ dispatcher, retry: config.upstream.retry });
  const accounts = await startAccounts(config.accounts, { transports, logger: createLogger('info', sink), environment: null, now: options.now });
  const app = express();
  app.use(accounts.routes);
  app.use((_req, res) => void res.status(404).json({ status: 'not found' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    accounts,
    logs: () => logs,
    async admin(method, path, body, headers = {}) {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as AdminBody) : undefined };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await accounts.close();
      await dispatcher.close();
      if (!options.database) await database.drop();
    },
  };
}

export interface LinkedSubgraph {
  config: Config;
  accounts: Accounts;
  /** e.g. http://127.0.0.1:1234 (no path). */
  base: string;
  /** Every log line written so far. */
  logs(): string;
  close(): Promise<void>;
}

/**
 * The subgraph's whole HTTP surface (GraphQL, the passthrough, /ready, /admin, /link) over linked
 * accounts only, wired as src/bootstrap.ts wires it, configured through loadConfig.
 */
export async function startLinkedSubgraph(env: Record<string, string>): Promise<LinkedSubgraph> {
  const config = loadConfig({ LOG_LEVEL: 'info', ...env });
  let logs = '';
  const logger = createLogger('info', new Writable({ write: (chunk, _enc, done) => ((logs += String(chunk)), done()) }));
  const dispatcher = createDispatcher(config.upstream);
  // The credential lifecycle, set once the registry is open, as src/bootstrap.ts does.
  const lifecycle: { accounts?: Accounts } = {};
  const transports = createAccountTransports({
    dispatcher,
    retry: config.upstream.retry,
    observe: (account, info) => lifecycle.accounts?.observeAttempt(account, info),
  });
  const accounts = await startAccounts(config.accounts, { transports, logger, environment: null });
  lifecycle.accounts = accounts;
  const server = await createServer(config, {
    accounts: accounts.source,
    transports,
    logger,
    linked: accounts.wiring,
  });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  let closing: Promise<void> | undefined;
  return {
    config,
    accounts,
    base: `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`,
    logs: () => logs,
    // Once, however often it is called (a test may stop it early to reopen the registry).
    close: () =>
      (closing ??= (async () => {
        await server.stop();
        await accounts.close();
        await dispatcher.close();
      })()),
  };
}
