import { createHash } from 'node:crypto';
import type { Secret } from './secret.js';

/**
 * One Freshchat account. It is resolved per request and passed down explicitly, so global ids,
 * loaders, caches and limits are keyed by it and a request may read several accounts.
 */
export interface Account {
  /** Stable, URL-safe identifier ([A-Za-z0-9._-]+); part of every global id. */
  readonly id: string;
  /**
   * The account's one key in every structure that outlives a request: guards, quotas and breakers
   * (and their Redis keys), catalog and page caches, list-total hints, idempotency keys. Never
   * reused: a linked account gets a new one when it is linked again after an unlink, or re-pointed
   * at another URL, so nothing kept for the old one is ever served to the new one. Never shown to a
   * caller (global ids and cursors carry `id`).
   */
  readonly key: string;
  /** Base URL including `/v2`, without a trailing slash, e.g. `https://acme.freshchat.com/v2`. */
  readonly baseUrl: string;
  readonly token: Secret;
  /** The only caller tenant that may use it (docs/design.md#caller-authentication); null: any caller. */
  readonly tenant: string | null;
}

/**
 * `[A-Za-z0-9._-]{1,64}`, but never `.` or `..`: an id ends up in URL paths (the admin API, the
 * passthrough's logs, webhook URLs), where those two would mean a directory. No NUL, no space, no
 * byte a database or a header could choke on, so a malformed id is refused before any lookup.
 */
export const ACCOUNT_ID_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._-]{1,64}$/;

/** What an id that does not match ACCOUNT_ID_PATTERN is told. */
export const ACCOUNT_ID_RULE = 'must match [A-Za-z0-9._-]{1,64} and not be . or ..';

export const isAccountId = (value: string): boolean => ACCOUNT_ID_PATTERN.test(value);

/** How long a lookup may take: the request's deadline (epoch ms), when there is one. */
export interface LookupOptions {
  deadline?: number;
}

/**
 * Where accounts come from: the environment account and the linked ones in the registry database (docs/design.md#linked-accounts).
 * Asynchronous, because a database lookup is.
 */
export interface AccountSource {
  /** The account a request gets when it names none; null when none is configured. */
  readonly defaultId: string | null;
  /**
   * The account with this id, or null when there is none. A registry that cannot answer by the
   * deadline throws a RegistryUnavailableError (src/errors.ts), never hangs.
   */
  find(id: string, options?: LookupOptions): Promise<Account | null>;
}

/** A fixed set of accounts, such as the one configured through the environment. */
export function createStaticAccountSource(accounts: readonly Account[], defaultId: string | null): AccountSource {
  const byId = new Map(accounts.map((account) => [account.id, account]));
  if (defaultId !== null && !byId.has(defaultId)) throw new Error(`default account ${defaultId} is not among the accounts`);
  return { defaultId, find: async (id) => byId.get(id) ?? null };
}

/**
 * An account given by configuration (the environment account, the sandbox's, an embedding program's)
 * rather than linked in the registry. Its key is derived from its settings: its id plus a digest of
 * its base URL, so two deployments that both call their account `default` never share a quota or a
 * cached catalog through one Redis, and pointing FRESHCHAT_API_URL elsewhere starts afresh. The token
 * is left out on purpose: a new token for the same Freshchat account reads the same data and spends
 * the same quota, and writes made under the old one must still answer their idempotency keys.
 */
export function configuredAccount(account: Omit<Account, 'key' | 'tenant'> & { tenant?: string | null }): Account {
  const digest = createHash('sha256').update(account.baseUrl).digest('hex').slice(0, 12);
  return { ...account, key: `${account.id}:${digest}`, tenant: account.tenant ?? null };
}

/**
 * A linked account's key: its id plus the random identity its registry row got when it was linked
 * (or re-pointed at another URL), which no later link of the same id ever gets again.
 */
export function linkedAccountKey(id: string, identity: string): string {
  return `${id}:${identity}`;
}

/** What changed of a linked account, for everything that keeps state about it across requests. */
export interface AccountChange {
  readonly id: string;
  /**
   * The key the account had, when the change retired it (unlinked, or re-pointed at another URL):
   * whatever is still kept under it belongs to no account any more and can be dropped.
   */
  readonly retiredKey: string | null;
}

export type AccountChangeListener = (change: AccountChange) => void | Promise<void>;
