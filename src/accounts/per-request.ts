import { isAccountId, type Account, type AccountSource } from '../account.js';
import { AccountUnusableError, accountNotFound, invalidAccountId } from '../errors.js';

/** Who is asking, as the request's verified token says (docs/design.md#caller-authentication). */
export interface Caller {
  readonly tenant: string | null;
}

/**
 * The accounts one request may use, resolved on demand, each opened once (`open`: for GraphQL, the
 * request's loaders of the account) and remembered for the request in one map by account id.
 */
export interface RequestAccounts<T> {
  /**
   * `freshchat(accountId:)`: the argument, else the `x-freshchat-account-id` header, else the default.
   * Throws a PublicError: BAD_USER_INPUT for a malformed id (before any lookup), ACCOUNT_NOT_FOUND
   * when there is no account this caller may use, REGISTRY_UNAVAILABLE when the registry cannot say.
   */
  choose(argument: string | null | undefined): Promise<T>;
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
  /** The request's deadline (epoch ms): no registry lookup outlives it. */
  deadline?: number;
}

export const ACCOUNT_HEADER = 'x-freshchat-account-id';

/**
 * Another tenant's account is answered exactly like an unknown one (null), so a caller learns
 * nothing of accounts that are not theirs. A malformed id is never looked up.
 */
export function createRequestAccounts<T>(source: AccountSource, request: AccountRequest, open: (account: Account) => T): RequestAccounts<T> {
  const entries = new Map<string, { lookup: Promise<T | null>; opened?: T }>();
  const byId = (id: string): Promise<T | null> => {
    if (!isAccountId(id)) return Promise.resolve(null);
    let entry = entries.get(id);
    if (!entry) {
      const created: { lookup: Promise<T | null>; opened?: T } = {
        lookup: source.find(id, { deadline: request.deadline }).then(
          (account) => {
            if (!account || !mayUse(request.caller, account)) return null;
            return (created.opened = open(account));
          },
          (error: unknown) => {
            // An unusable account says so only to a caller that may use it.
            if (error instanceof AccountUnusableError && !mayUse(request.caller, error)) return null;
            throw error;
          },
        ),
      };
      entries.set(id, (entry = created));
    }
    return entry.lookup;
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
    opened: (id) => entries.get(id)?.opened,
  };
}

function mayUse(caller: Caller | undefined, account: { tenant: string | null }): boolean {
  return caller === undefined || (caller.tenant !== null && caller.tenant === account.tenant);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
