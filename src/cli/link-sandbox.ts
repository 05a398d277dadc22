import { createHostPolicy } from '../accounts/allowed-hosts.js';
import type { LinkedAccount } from '../accounts/store.js';
import type { Config } from '../config.js';
import { DEFAULT_TOKEN, startSandbox } from '../sandbox/index.js';
import type { AccountsBackend } from './accounts-backend.js';
import { fail } from './failure.js';

export interface SandboxLinkOptions {
  id?: string;
  name?: string;
  tenant?: string;
}

/**
 * Links the embedded sandbox of `npm start` as an account, so linked accounts, tenants and the
 * account header can be tried without a Freshchat account. The sandbox must answer at a URL that
 * outlives a restart (a fixed SANDBOX_PORT) that FRESHCHAT_ALLOWED_HOSTS admits; when no server
 * runs, a sandbox is started on that port just long enough for the link's token check.
 */
export async function linkSandbox(config: Config, backend: AccountsBackend, options: SandboxLinkOptions): Promise<LinkedAccount> {
  if (config.target.kind !== 'sandbox') {
    fail('link-sandbox links the embedded sandbox, which this configuration does not serve (FRESHCHAT_API_URL is set, or NODE_ENV=production without FRESHCHAT_SANDBOX=true)');
  }
  const port = config.target.port;
  if (port === 0) fail('link-sandbox needs a fixed SANDBOX_PORT (e.g. SANDBOX_PORT=4010 beside the server\'s settings), so the linked URL still answers after a restart');
  const apiUrl = `http://127.0.0.1:${port}/v2`;
  const allowed = createHostPolicy(config.accounts.allowedHosts).normalize(apiUrl);
  if (!allowed.ok) fail(`FRESHCHAT_ALLOWED_HOSTS must list 127.0.0.1:${port} to link the sandbox at ${apiUrl} (e.g. FRESHCHAT_ALLOWED_HOSTS=*.freshchat.com,127.0.0.1:${port})`);
  const sandbox = (await isAnswering(apiUrl)) ? undefined : await startSandbox({ port, host: '127.0.0.1' });
  try {
    return await backend.link({ id: options.id, name: options.name ?? 'Embedded sandbox', apiUrl, token: DEFAULT_TOKEN, tenant: options.tenant ?? null });
  } finally {
    await sandbox?.close();
  }
}

/** Whether something already answers HTTP at the sandbox's URL (the running server's sandbox). */
async function isAnswering(apiUrl: string): Promise<boolean> {
  try {
    await fetch(`${apiUrl}/accounts/configuration`, { signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

/** What to do with the new account, ready to copy: its id, and a query that uses it. */
export function sandboxLinkedHelp(account: LinkedAccount, config: Config): string[] {
  const graphql = `http://localhost:${config.port}/graphql`;
  const query = JSON.stringify({ query: '{ freshchat { accountId channels { nodes { remoteId name enabled } } } }' });
  return [
    `linked the embedded sandbox as account ${account.id}${account.tenant === null ? '' : ` (tenant ${account.tenant})`}: name it with the header x-freshchat-account-id: ${account.id}, or freshchat(accountId: "${account.id}")`,
    `try: curl -s ${graphql} -H 'content-type: application/json' -H 'x-freshchat-account-id: ${account.id}' -d '${query}'`,
  ];
}
