import type { AddressInfo } from 'node:net';
import express from 'express';
import { SignJWT } from 'jose';
import { startAccounts, type Accounts } from '../../src/accounts/index.js';
import { createAccountTransports } from '../../src/freshchat/account-transport.js';
import { createDispatcher } from '../../src/freshchat/http.js';
import type { Delivery } from '../../src/webhooks-out/deliveries.js';
import type { WebhookEndpoint } from '../../src/webhooks-out/endpoints.js';
import { startWebhooksOut, type WebhooksOut } from '../../src/webhooks-out/index.js';
import { ADMIN_TOKEN, testConfig } from '../accounts/app.js';
import { createPglite, type TestDatabase } from '../accounts/databases.js';
import { memoryLogger } from './fixtures.js';

export const JWT_SECRET = 'jwt-secret-0123456789-0123456789-abcdef';

/** A caller JWT naming `tenant` (none: a token without the claim). */
export const tenantToken = (tenant?: string): Promise<string> =>
  new SignJWT(tenant === undefined ? {} : { tenant }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));

/** Every answer shape of the endpoint API. */
export interface ApiBody {
  endpoint?: WebhookEndpoint;
  endpoints?: WebhookEndpoint[];
  secret?: string;
  deliveries?: Delivery[];
  delivery?: Delivery;
  nextCursor?: string | null;
  error?: { code: string; message: string; field?: string };
}

export interface WebhooksApp {
  url: string;
  accounts: Accounts;
  webhooks: WebhooksOut;
  logs(): string;
  /** A JSON request; `token` replaces the admin token (null: no Authorization header). */
  call(method: string, path: string, options?: { body?: unknown; token?: string | null }): Promise<{ status: number; body: ApiBody }>;
  close(): Promise<void>;
}

/**
 * /admin, /link and the endpoint routes as src/bootstrap.ts mounts them, on a fresh PGlite registry
 * configured through loadConfig like the process; the delivery loop runs for real.
 */
export async function startWebhooksApp(
  env: Record<string, string | undefined> = {},
  options: { database?: TestDatabase; pollMs?: number } = {},
): Promise<WebhooksApp> {
  const { database } = options;
  const db = database ?? (await createPglite());
  const config = testConfig(db, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', ...env });
  const { logger, lines } = memoryLogger();
  const dispatcher = createDispatcher(config.upstream);
  const transports = createAccountTransports({ dispatcher, retry: config.upstream.retry });
  const accounts = await startAccounts(config.accounts, { transports, logger, environment: null });
  const webhooks = await startWebhooksOut(config.webhooksOut, config.accounts, {
    registry: accounts.registry,
    accounts: accounts.source,
    authenticate: accounts.authenticate,
    logger,
    pollMs: options.pollMs ?? 50,
  });
  const app = express();
  app.use(webhooks.routes, accounts.routes);
  app.use((_req, res) => void res.status(404).json({ status: 'not found' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    accounts,
    webhooks,
    logs: lines,
    async call(method, path, { body, token } = {}) {
      const bearer = token === undefined ? ADMIN_TOKEN : token;
      const res = await fetch(url + path, {
        method,
        headers: { ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as ApiBody };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await webhooks.close();
      await accounts.close();
      await dispatcher.close();
      if (!database) await db.drop();
    },
  };
}
