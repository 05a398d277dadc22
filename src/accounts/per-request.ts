import { isAccountId, type Account, type AccountSource } from '../account.js';
import { AccountUnusableError, accountNotFound, invalidAccountId } from '../errors.js';

/** Who is asking, as the request's verified token says (docs/design.md#caller-authentication). */
export interface Caller {
  readonly tenant: string | null;
}

/** The accounts one GraphQL request may use, resolved on demand and remembered for the request. */
export interface RequestAccounts {
  /**
   * `freshchat(accountId:)`: the argument, else the `x-freshchat-account-id` header, else the default.
   * Throws a PublicError: BAD_USER_INPUT for a malformed id (before any lookup), ACCOUNT_NOT_FOUND
   * when there is no account this caller may use, REGISTRY_UNAVAILABLE when the registry cannot say.
   */
  choose(argument: string | null | undefined): Promise<Account>;
  /** The account named inside a global id (`_entities`): that one or none, never a fallback. */
  byId(id: string): Promise<Account | null>;
  /** An account this request already resolved (every model it built came from one). */
  resolved(id: string): Account | undefined;
}

export interface AccountRequest {
  /** The `x-freshchat-account-id` header a router forwards. */
  header?: string | undefined;
  /** Undefined when caller authentication is not configured: every account is then usable. */
  caller?: Caller | undefined;
  /** The request's deadline (epoch ms): no registry lookup outlives it. */
  deadline?: number;
}

export const ACCOUNT_HEADER = 'x-freshchat-account-id';

/**
 * Another tenant's account is answered exactly like an unknown one (null), so a caller learns
 * nothing of accounts that are not theirs. A malformed id is never looked up.
 */
export function createRequestAccounts(source: AccountSource, request: AccountRequest): RequestAccounts {
  const lookups = new Map<string, Promise<Account | null>>();
  const resolved = new Map<string, Account>();
  const byId = (id: string): Promise<Account | null> => {
    if (!isAccountId(id)) return Promise.resolve(null);
    let lookup = lookups.get(id);
    if (!lookup) {
      lookup = source.find(id, { deadline: request.deadline }).then(
        (account) => {
          if (!account || !mayUse(request.caller, account)) return null;
          resolved.set(account.id, account);
          return account;
        },
        (error: unknown) => {
          // An unusable account says so only to a caller that may use it.
          if (error instanceof AccountUnusableError && !mayUse(request.caller, error)) return null;
          throw error;
        },
      );
      lookups.set(id, lookup);
    }
    return lookup;
  };
  return {
    async choose(argument) {
      const header = nonEmpty(request.header);
      const named = argument ?? header;
      if (named !== undefined && !isAccountId(named)) throw invalidAccountId(argument == null ? ACCOUNT_HEADER : 'accountId');
      const id = named ?? source.defaultId;
      const account = id === null ? null : await byId(id);
      if (!account) throw accountNotFound(named ?? null, named === undefined && id !== null);
      return account;
    },
    byId,
    resolved: (id) => resolved.get(id),
  };
}

function mayUse(caller: Caller | undefined, account: { tenant: string | null }): boolean {
  return caller === undefined || (caller.tenant !== null && caller.tenant === account.tenant);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
