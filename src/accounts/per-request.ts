import type { Account, AccountSource } from '../account.js';

/** Who is asking, as the request's verified token says (docs/design.md#caller-authentication). */
export interface Caller {
  readonly tenant: string | null;
}

/** The accounts one GraphQL request may use, resolved on demand and remembered for the request. */
export interface RequestAccounts {
  /** `freshchat(accountId:)`: the argument, else the `x-freshchat-account-id` header, else the default. */
  choose(argument: string | null | undefined): Promise<Account | null>;
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
}

export const ACCOUNT_HEADER = 'x-freshchat-account-id';

/**
 * Another tenant's account is answered exactly like an unknown one (null), so a caller learns
 * nothing of accounts that are not theirs.
 */
export function createRequestAccounts(source: AccountSource, request: AccountRequest): RequestAccounts {
  const lookups = new Map<string, Promise<Account | null>>();
  const resolved = new Map<string, Account>();
  const byId = (id: string): Promise<Account | null> => {
    let lookup = lookups.get(id);
    if (!lookup) {
      lookup = source.find(id).then((account) => {
        if (!account || !mayUse(request.caller, account)) return null;
        resolved.set(account.id, account);
        return account;
      });
      lookups.set(id, lookup);
    }
    return lookup;
  };
  return {
    choose(argument) {
      const id = argument ?? nonEmpty(request.header) ?? source.defaultId;
      return id === null ? Promise.resolve(null) : byId(id);
    },
    byId,
    resolved: (id) => resolved.get(id),
  };
}

function mayUse(caller: Caller | undefined, account: Account): boolean {
  return caller === undefined || (caller.tenant !== null && caller.tenant === account.tenant);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
