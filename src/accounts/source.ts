import { isAccountId, type Account, type AccountSource } from '../account.js';
import type { CredentialLifecycle } from './lifecycle.js';
import type { AccountStore } from './store.js';

/**
 * The environment account (read-only, never in the database) beside the linked ones. A malformed id
 * is never looked up; a lookup is bounded by the caller's deadline (./db.ts).
 */
export function createAccountSource(
  store: Pick<AccountStore, 'getWithToken'>,
  environment: Account | null,
  lifecycle?: CredentialLifecycle,
): AccountSource {
  return {
    defaultId: environment?.id ?? null,
    async find(id, options): Promise<Account | null> {
      if (environment && id === environment.id) return environment;
      if (!isAccountId(id)) return null;
      const found = await store.getWithToken(id, options);
      if (!found) return null;
      lifecycle?.seen(id, found.account.status);
      // The stored URL is the normalised `https://<host>/v2`.
      return { id, baseUrl: found.account.apiUrl, token: found.token, tenant: found.account.tenant };
    },
  };
}
