import { join } from 'node:path';
import { createHostPolicy } from '../accounts/allowed-hosts.js';
import { directoryHolder } from '../accounts/db.js';
import { createLinking } from '../accounts/linking.js';
import { openRegistry } from '../accounts/registry.js';
import { createValidator } from '../accounts/validate.js';
import type { Config } from '../config.js';
import { createAccountTransports } from '../freshchat/account-transport.js';
import { createDispatcher } from '../freshchat/http.js';
import { cipherOf, rotateSecrets } from '../webhooks-out/endpoint-secrets.js';
import type { AccountsBackend } from './accounts-backend.js';
import { createAdminBackend } from './admin-client.js';
import { fail } from './failure.js';


/**
 * Where the accounts are: the admin API at `url` when given; else, when a running server holds the
 * embedded registry (PGlite serves one process), that server's admin API on this machine; else the
 * registry itself (PGlite in DATA_DIR, or Postgres, which any number of processes may open).
 */
export async function openBackend(config: Config, url: string | undefined, say: (line: string) => void): Promise<AccountsBackend> {
  if (url !== undefined) return createAdminBackend(url, config.accounts.adminToken);
  if (config.accounts.databaseUrl === undefined) {
    const holder = await directoryHolder(join(config.accounts.dataDir, 'pglite'));
    if (holder !== undefined) {
      const local = `http://127.0.0.1:${config.port}`;
      if (config.accounts.adminToken === undefined) {
        fail(
          `DATA_DIR ${config.accounts.dataDir} is held by a running server (process ${holder}): set ADMIN_TOKEN (the server's) so this command goes through its admin API at ${local}, or stop the server`,
        );
      }
      return createAdminBackend(local, config.accounts.adminToken);
    }
  }
  return openRegistryBackend(config, say);
}

async function openRegistryBackend(config: Config, say: (line: string) => void): Promise<AccountsBackend> {
  const registry = await openRegistry(config.accounts, {
    onCreate: (dataDir) => say(`Creating the linked-accounts registry in ${dataDir} (first use; a few seconds)...`),
  });
  const dispatcher = createDispatcher(config.upstream);
  const linking = createLinking({
    store: registry.store,
    hosts: createHostPolicy(config.accounts.allowedHosts),
    validate: createValidator(createAccountTransports({ dispatcher, retry: config.upstream.retry })),
    canStore: config.accounts.credentialsKey !== undefined,
    reservedId: config.target.kind === 'none' ? null : config.target.accountId,
  });
  try {
    await registry.ready();
  } catch (error) {
    await registry.close();
    await dispatcher.close();
    throw error;
  }
  return {
    list: () => registry.store.list(),
    async link(request) {
      const result = await linking.link(request);
      if (!result.ok) fail(`${result.refusal.code}: ${result.refusal.message}`);
      return result.account;
    },
    async unlink(id) {
      if (!(await registry.store.remove(id))) fail(`ACCOUNT_NOT_FOUND: no linked account ${id}`);
    },
    async rotateKey() {
      // Account tokens, then webhook endpoint secrets: both are sealed under CREDENTIALS_KEY.
      const tokens = await registry.store.rotateKey();
      const cipher = cipherOf(config.accounts);
      return tokens + (cipher ? await rotateSecrets(registry.db, cipher) : 0);
    },
    async close() {
      await registry.close();
      await dispatcher.close();
    },
  };
}
