import type { Account, AccountSource } from '../account.js';

/** Who is asking, as the request's verified token says (docs/design.md#caller-authentication). */
export interface Caller {
  readonly tenant: string | null;
}

/**
 * The accounts one request may use, resolved on demand, each opened once (`open`: for GraphQL, the
 * request's loaders of the account) and remembered for the request in one map by account id.
 */
export interface RequestAccounts<T> {
  /** `freshchat(accountId:)`: the argument, else the `x-freshchat-account-id` header, else the default. */
  choose(argument: string | null | undefined): Promise<T | null>;
  /** The account named inside a global id (`_entities`): that one or none, never a fallback. */
  byId(id: string): Promise<T | null>;
  /** What the request opened for an account it already resolved (every model it built came from one). */
  opened(id: string): T | undefined;
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
export function createRequestAccounts<T>(source: AccountSource, request: AccountRequest, open: (account: Account) => T): RequestAccounts<T> {
  const entries = new Map<string, { lookup: Promise<T | null>; opened?: T }>();
  const byId = (id: string): Promise<T | null> => {
    let entry = entries.get(id);
    if (!entry) {
      const created: { lookup: Promise<T | null>; opened?: T } = {
        lookup: source.find(id).then((account) => {
          if (!account || !mayUse(request.caller, account)) return null;
          return (created.opened = open(account));
        }),
      };
      entries.set(id, (entry = created));
    }
    return entry.lookup;
  };
  return {
    choose(argument) {
      const id = argument ?? nonEmpty(request.header) ?? source.defaultId;
      return id === null ? Promise.resolve(null) : byId(id);
    },
    byId,
    opened: (id) => entries.get(id)?.opened,
  };
}

function mayUse(caller: Caller | undefined, account: Account): boolean {
  return caller === undefined || (caller.tenant !== null && caller.tenant === account.tenant);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
