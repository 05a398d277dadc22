import express from 'express';
import type { Account, AccountChangeListener, AccountSource } from '../account.js';
import type { AccountTransports } from '../freshchat/account-transport.js';
import type { AttemptInfo } from '../freshchat/client.js';
import type { Logger } from '../logger.js';
import { bearerCheck, createAdminRouter } from './admin.js';
import { createHostPolicy } from './allowed-hosts.js';
import { createAuthenticator, type Authenticate } from './auth.js';
import type { LinkedAccountsWiring, LinkedReadiness, ReadinessRequest } from './graphql-auth.js';
import { createCredentialLifecycle, type CredentialLifecycle } from './lifecycle.js';
import { createLinkRouter } from './link-page.js';
import { createLinkSessions } from './link-sessions.js';
import { createLinking } from './linking.js';
import type { Database } from './db.js';
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
  /** /ready's per-account detail, bounded by the request's deadline; a registry not created yet has no account to report. */
  readiness(request: ReadinessRequest): Promise<LinkedReadiness>;
  /** The context's hook: every upstream attempt of a linked account feeds the lifecycle. */
  observeAttempt(account: Account, info: AttemptInfo): void;
  /** `/admin` and `/link`, to mount on the app. */
  routes: express.Router;
  registry: Registry;
  /** Every linked account with its token (the sync poller's list); none before the registry exists. */
  linkedAccounts(): Promise<Account[]>;
  /** Whether `id` is the environment account or a linked one, without reading its token. */
  exists(id: string): Promise<boolean>;
  /**
   * Told of every change of a linked account made through this process (admin API, link page), before
   * it answers: caches and guards drop what they keep under a retired key.
   */
  onChange(listener: AccountChangeListener): void;
  /** What src/server.ts mounts of all this: the routes, caller authentication, /ready's detail, changes. */
  wiring: LinkedAccountsWiring;
  close(): Promise<void>;
}

export interface AccountsDeps {
  /** The accounts' one transport (src/freshchat/account-transport.ts): link-time checks go through it. */
  transports: AccountTransports;
  logger: Logger;
  /** The operator's account from FRESHCHAT_API_URL/TOKEN (or the sandbox); never stored. */
  environment: Account | null;
  now?: () => number;
  /** NODE_ENV=production: serving every account to every caller deserves a warning there. */
  production?: boolean;
  /** Linked accounts kept resolved across requests at most (FRESHCHAT_MAX_ACCOUNTS, default 1,000). */
  maxAccounts?: number;
  /**
   * Re-seals what else the registry keeps under CREDENTIALS_KEY (webhook endpoint secrets), after the
   * tokens, when the admin API rotates the key; how many. Given by the wiring, which knows those tables.
   */
  rotateOthers?: (db: Database) => Promise<number>;
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
    validate: createValidator(deps.transports),
    canStore: settings.credentialsKey !== undefined,
    reservedId: deps.environment?.id ?? null,
  });
  const routes = express.Router();
  routes.use('/admin', createAdminRouter({
      adminToken: settings.adminToken,
      store,
      db,
      linking,
      sessions,
      publicUrl: settings.publicUrl,
      logger: deps.logger,
      rotateKey: async () => (await store.rotateKey()) + ((await deps.rotateOthers?.(db)) ?? 0),
    }),);
  routes.use('/link', createLinkRouter({ db, store, sessions, linking, publicUrl: settings.publicUrl, logger: deps.logger }));
  warnAtStart(settings, deps, registry.unusable);
  if (registry.fresh) deps.logger.info({ database: db.kind, dataDir: settings.dataDir }, 'linked-accounts registry: created at first use');
  else deps.logger.info({ database: db.kind, startMs: Math.round(await registry.ready()) }, 'linked-accounts registry open');
  const linkedSource = createAccountSource(store, deps.environment, {
    lifecycle,
    cache: { ttlMs: settings.accountCacheTtlMs, maxAccounts: deps.maxAccounts ?? 1_000, now: deps.now },
  });
  // Registered first: the caches told after it must not find the old resolution still served.
  store.onChange(({ id }) => linkedSource.forget(id));
  const source: AccountSource = {
    defaultId: linkedSource.defaultId,
    // A registry not created yet holds no account: an unknown id must not make a request create it.
    find: (id, options) => (registry.isOpen() || id === deps.environment?.id ? linkedSource.find(id, options) : Promise.resolve(null)),
  };
  const environmentId = deps.environment?.id;
  const isAdmin = settings.adminToken ? bearerCheck(settings.adminToken) : () => false;
  const accounts: Omit<Accounts, 'wiring'> = {
    source,
    authenticate: createAuthenticator(settings.auth),
    lifecycle,
    async readiness({ authorization, deadline }) {
      if (!registry.isOpen()) return { linked: 0, invalidCredentials: 0 };
      const { linked, invalidCredentials } = await store.health({ deadline });
      const ids = settings.exposeAccountIds || isAdmin(authorization) ? { invalidCredentialsIds: invalidCredentials } : {};
      return { linked, invalidCredentials: invalidCredentials.length, ...ids };
    },
    observeAttempt(account, info) {
      if (account.id === environmentId || info.status === undefined) return; // the operator's account is not in the registry
      lifecycle.observe(account.id, info.status).catch((error: unknown) =>
        deps.logger.warn({ accountId: account.id, err: error }, 'could not record the account credential status'),
      );
    },
    routes,
    registry,
    async linkedAccounts() {
      if (!registry.isOpen()) return [];
      const found = await Promise.all((await store.list()).map((account) => linkedSource.find(account.id).catch(() => null)));
      return found.filter((account): account is Account => account !== null && account.id !== environmentId);
    },
    exists: async (id) => id === environmentId || (registry.isOpen() && (await store.get(id)) !== null),
    onChange: (listener) => store.onChange(listener),
    close: () => registry.close(),
  };
  const wiring: LinkedAccountsWiring = {
    routes,
    authenticate: accounts.authenticate,
    readiness: (request) => accounts.readiness(request),
    onChange: (listener) => accounts.onChange(listener),
  };
  return { ...accounts, wiring };
}

/** What an operator must hear at start: settings that leave callers or accounts out. */
function warnAtStart(settings: AccountsSettings, deps: AccountsDeps, unusable: readonly string[]): void {
  if (deps.production && !settings.auth) {
    deps.logger.warn('AUTH_JWT_SECRET and AUTH_JWKS_URL are not set: every caller may use every linked account');
  }
  if (settings.auth && deps.environment && deps.environment.tenant === null) {
    deps.logger.warn({ accountId: deps.environment.id }, 'caller JWTs are on and FRESHCHAT_ACCOUNT_TENANT is not set: no caller may use the environment account');
  }
  if (unusable.length > 0) {
    deps.logger.warn(
      { accountIds: unusable.slice(0, 100), count: unusable.length },
      'linked accounts whose stored token does not open under their id, API URL, tenant and identity (changed outside the subgraph): unusable until linked again',
    );
  }
}
