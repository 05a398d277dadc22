import type { Account, AccountSource } from '../account.js';
import type { CredentialLifecycle } from './lifecycle.js';
import type { AccountStore } from './store.js';

/** The environment account (read-only, never in the database) beside the linked ones. */
export function createAccountSource(
  store: Pick<AccountStore, 'getWithToken'>,
  environment: Account | null,
  lifecycle?: CredentialLifecycle,
): AccountSource {
  return {
    defaultId: environment?.id ?? null,
    async find(id): Promise<Account | null> {
      if (environment && id === environment.id) return environment;
      const found = await store.getWithToken(id);
      if (!found) return null;
      lifecycle?.seen(id, found.account.status);
      // The stored URL is the normalised `https://<host>/v2`.
      return { id, baseUrl: found.account.apiUrl, token: found.token, tenant: found.account.tenant };
    },
  };
}
