import type { Secret } from '../secret.js';
import type { CredentialLifecycle } from './lifecycle.js';
import type { AccountStore } from './store.js';

/**
 * The seam with the GraphQL layer (src/account.ts on main): one account as a request uses it. The
 * environment account has `tenant: null`; a linked account the tenant it was linked for.
 */
export interface ResolvedAccount {
  readonly id: string;
  /** Including `/v2`, no trailing slash. */
  readonly baseUrl: string;
  readonly token: Secret;
  readonly tenant: string | null;
}

export interface AccountSource {
  /** The environment account's id, or null when only linked accounts are served. */
  readonly defaultId: string | null;
  /** Every account, whoever asks: authorisation is `isVisibleTo`. */
  find(id: string): Promise<ResolvedAccount | null>;
}

/** The caller of a request; `undefined` (not this) means auth is not configured. */
export interface Caller {
  readonly tenant: string | null;
}

/**
 * Whether `caller` may use `account` (DESIGN §7). Without auth every account is allowed; with it the
 * tenants must be equal, so an account of another tenant is treated exactly like an unknown one.
 */
export function isVisibleTo(account: Pick<ResolvedAccount, 'tenant'>, caller: Caller | undefined): boolean {
  return caller === undefined || caller.tenant === account.tenant;
}

/** The environment account (read-only, never in the database) beside the linked ones. */
export function createAccountSource(
  store: Pick<AccountStore, 'getWithToken'>,
  environment: ResolvedAccount | null,
  lifecycle?: CredentialLifecycle,
): AccountSource {
  return {
    defaultId: environment?.id ?? null,
    async find(id) {
      if (environment && id === environment.id) return environment;
      const found = await store.getWithToken(id);
      if (!found) return null;
      lifecycle?.seen(id, found.account.status);
      // The stored URL is the normalised `https://<host>/v2`.
      return { id, baseUrl: found.account.apiUrl, token: found.token, tenant: found.account.tenant };
    },
  };
}
