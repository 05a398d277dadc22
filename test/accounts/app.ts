import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { startAccounts, type Accounts } from '../../src/accounts/index.js';
import type { LinkedAccount } from '../../src/accounts/store.js';
import { loadConfig } from '../../src/config.js';
import { createDispatcher } from '../../src/freshchat/http.js';
import { createLogger } from '../../src/logger.js';
import { createPglite, type TestDatabase } from './databases.js';

export const ADMIN_TOKEN = 'admin-token-0123456789-0123456789-abcdef';

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

/**
 * /admin and /link as src/server.ts mounts them, on a fresh PGlite registry, configured through
 * loadConfig like the process (so the settings' parsing is exercised too).
 */
export async function startAccountsApp(env: Record<string, string> = {}, options: { now?: () => number; database?: TestDatabase } = {}): Promise<AccountsApp> {
  const database = options.database ?? (await createPglite());
  const config = loadConfig({
    DATA_DIR: database.dataDir,
    ADMIN_TOKEN,
    CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
    FRESHCHAT_ALLOWED_HOSTS: '*.freshchat.com,127.0.0.1',
    LOG_LEVEL: 'info',
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl.reveal() } : {}),
    ...env,
  });
  let logs = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((logs += String(chunk)), done()) });
  const dispatcher = createDispatcher(config.upstream);
  const accounts = await startAccounts(config.accounts, { dispatcher, logger: createLogger('info', sink), environment: null, now: options.now });
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
