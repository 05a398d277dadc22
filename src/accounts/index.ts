import express from 'express';
import type { Dispatcher } from 'undici';
import type { Account, AccountSource } from '../account.js';
import type { AttemptInfo } from '../freshchat/client.js';
import type { Logger } from '../logger.js';
import { createAdminRouter } from './admin.js';
import { createHostPolicy } from './allowed-hosts.js';
import { createAuthenticator, type Authenticate } from './auth.js';
import { createCredentialLifecycle, type CredentialLifecycle } from './lifecycle.js';
import { createLinkRouter } from './link-page.js';
import { createLinkSessions } from './link-sessions.js';
import { createLinking } from './linking.js';
import { openRegistry, type Registry } from './registry.js';
import type { AccountsSettings } from './settings.js';
import { createAccountSource } from './source.js';
import { createValidator } from './validate.js';

export { AuthenticationError, type Authenticate } from './auth.js';
export { KeyCheckError } from './store.js';

/** Linked accounts as the server uses them (docs/design.md#linked-accounts). */
export interface Accounts {
  /** The environment account and the linked ones, by id. */
  source: AccountSource;
  /** The caller of a request, or undefined when auth is not configured. */
  authenticate: Authenticate;
  /** Report each upstream answer (account id, HTTP status) so a 401 marks the account. */
  lifecycle: CredentialLifecycle;
  /** /ready's per-account detail; a registry not created yet has no account to report. */
  readiness(): Promise<{ linked: number; invalidCredentials: string[] }>;
  /** The context's hook: every upstream attempt of a linked account feeds the lifecycle. */
  observeAttempt(account: Account, info: AttemptInfo): void;
  /** `/admin` and `/link`, to mount on the app. */
  routes: express.Router;
  registry: Registry;
  close(): Promise<void>;
}

export interface AccountsDeps {
  dispatcher: Dispatcher;
  logger: Logger;
  /** The operator's account from FRESHCHAT_API_URL/TOKEN (or the sandbox); never stored. */
  environment: Account | null;
  now?: () => number;
  /** NODE_ENV=production: serving every account to every caller deserves a warning there. */
  production?: boolean;
}

/** Opens the registry (migrations, key check: a KeyCheckError stops the start) and builds the rest. */
export async function startAccounts(settings: AccountsSettings, deps: AccountsDeps): Promise<Accounts> {
  const registry = await openRegistry(settings, {
    // PGlite's initdb runs at the first link and takes seconds: a line, so the wait is not silent.
    onCreate: (dataDir) => deps.logger.info({ dataDir }, 'creating the linked-accounts registry (first use; a few seconds)'),
  });
  const { store, db } = registry;
  const lifecycle = createCredentialLifecycle(store);
  const sessions = createLinkSessions(db, deps.now);
  const linking = createLinking({
    store,
    hosts: createHostPolicy(settings.allowedHosts),
    validate: createValidator(deps.dispatcher),
    canStore: settings.credentialsKey !== undefined,
    reservedId: deps.environment?.id ?? null,
  });
  const routes = express.Router();
  routes.use('/admin', createAdminRouter({ adminToken: settings.adminToken, store, linking, sessions, publicUrl: settings.publicUrl, logger: deps.logger }));
  routes.use('/link', createLinkRouter({ db, store, sessions, linking, publicUrl: settings.publicUrl, logger: deps.logger }));
  if (deps.production && !settings.auth) {
    deps.logger.warn('AUTH_JWT_SECRET and AUTH_JWKS_URL are not set: every caller may use every linked account');
  }
  if (registry.fresh) deps.logger.info({ database: db.kind, dataDir: settings.dataDir }, 'linked-accounts registry: created at first use');
  else deps.logger.info({ database: db.kind, startMs: Math.round(await registry.ready()) }, 'linked-accounts registry open');
  const linkedSource = createAccountSource(store, deps.environment, lifecycle);
  const source: AccountSource = {
    defaultId: linkedSource.defaultId,
    // A registry not created yet holds no account: an unknown id must not make a request create it.
    find: (id) => (registry.isOpen() || id === deps.environment?.id ? linkedSource.find(id) : Promise.resolve(null)),
  };
  const environmentId = deps.environment?.id;
  return {
    source,
    authenticate: createAuthenticator(settings.auth),
    lifecycle,
    readiness: () => (registry.isOpen() ? store.health() : Promise.resolve({ linked: 0, invalidCredentials: [] })),
    observeAttempt(account, info) {
      if (account.id === environmentId || info.status === undefined) return; // the operator's account is not in the registry
      lifecycle.observe(account.id, info.status).catch((error: unknown) =>
        deps.logger.warn({ accountId: account.id, err: error }, 'could not record the account credential status'),
      );
    },
    routes,
    registry,
    close: () => registry.close(),
  };
}
