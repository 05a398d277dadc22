import express from 'express';
import type { AccountSource } from '../account.js';
import type { Authenticate } from '../accounts/auth.js';
import type { Registry } from '../accounts/registry.js';
import type { AccountsSettings } from '../accounts/settings.js';
import type { Logger } from '../logger.js';
import { checkSecrets, cipherOf } from './endpoint-secrets.js';
import { createEndpointStore } from './endpoints.js';
import { createAdminEndpointRouter, createTenantEndpointRouter } from './routes.js';
import { createSender } from './send.js';
import type { WebhooksOutSettings } from './settings.js';
import { createUrlPolicy, type Resolve } from './url-policy.js';
import { createDeliveryWorker, type DeliveryWorker } from './worker.js';

/**
 * Webhooks out (docs/sync.md "Webhooks out"): endpoints managed through the admin API (and by each
 * tenant for its own accounts), every change recorded after an endpoint's creation that it wants
 * queued as a delivery in the registry database, and sent, signed, by whichever replica claims it.
 */
export interface WebhooksOut {
  /** `/admin/webhook-endpoints` and `/webhook-endpoints`, to mount on the app. */
  routes: express.Router;
  worker: DeliveryWorker;
  /** Stops sending (claims in flight are given back) and closes the sender's connections. */
  close(): Promise<void>;
}

export interface WebhooksOutDeps {
  registry: Registry;
  /** Every account the subgraph serves: endpoints may name them. */
  accounts: AccountSource;
  /** The caller of a request (src/accounts/auth.ts); undefined when caller JWTs are not configured. */
  authenticate: Authenticate;
  logger: Logger;
  /** Tests: a resolver, a clock, jitter, a shorter send timeout. */
  resolve?: Resolve;
  now?: () => number;
  random?: () => number;
  sendTimeoutMs?: number;
  pollMs?: number;
}

/** Checks that the stored secrets open with the configured key (a KeyCheckError stops the start), then starts sending. */
export async function startWebhooksOut(
  settings: WebhooksOutSettings,
  accountsSettings: Pick<AccountsSettings, 'credentialsKey' | 'previousCredentialsKey' | 'adminToken'>,
  deps: WebhooksOutDeps,
): Promise<WebhooksOut> {
  const { registry, logger } = deps;
  const now = deps.now ?? Date.now;
  const cipher = cipherOf(accountsSettings);
  if (registry.isOpen()) await checkSecrets(registry.db, cipher);
  const policy = createUrlPolicy({ allowedHosts: settings.allowedHosts, production: settings.production, resolve: deps.resolve });
  const endpoints = createEndpointStore(registry.db, cipher);
  const sender = createSender({ policy, resolve: deps.resolve, timeoutMs: deps.sendTimeoutMs, now });
  const worker = createDeliveryWorker({
    db: registry.db,
    isOpen: () => registry.isOpen(),
    endpoints,
    sender,
    retry: settings,
    logger,
    now,
    random: deps.random,
    pollMs: deps.pollMs,
  });
  const api = { endpoints, db: registry.db, policy, accounts: deps.accounts, canStore: cipher !== undefined, wake: () => worker.wake(), now, logger };
  const routes = express.Router();
  routes.use('/admin/webhook-endpoints', createAdminEndpointRouter(accountsSettings.adminToken, api));
  routes.use('/webhook-endpoints', createTenantEndpointRouter(deps.authenticate, api));
  worker.start();
  return {
    routes,
    worker,
    async close() {
      await worker.stop();
      await sender.close();
    },
  };
}
