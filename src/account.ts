import { createHash } from 'node:crypto';
import type { Secret } from './secret.js';

/**
 * One Freshchat account. It is resolved per request and passed down explicitly, so global ids,
 * loaders, caches and limits are keyed by it and a request may read several accounts.
 */
export interface Account {
  /** Stable, URL-safe identifier ([A-Za-z0-9._-]+); part of every global id. */
  readonly id: string;
  /** Base URL including `/v2`, without a trailing slash, e.g. `https://acme.freshchat.com/v2`. */
  readonly baseUrl: string;
  readonly token: Secret;
  /** The only caller tenant that may use it (docs/design.md#caller-authentication); null: any caller. */
  readonly tenant: string | null;
}

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Where accounts come from: today the environment account, next the registry database (docs/design.md#linked-accounts).
 * Asynchronous, because a database lookup is.
 */
export interface AccountSource {
  /** The account a request gets when it names none; null when none is configured. */
  readonly defaultId: string | null;
  /** The account with this id, or null when there is none. */
  find(id: string): Promise<Account | null>;
}

/** A fixed set of accounts, such as the one configured through the environment. */
export function createStaticAccountSource(accounts: readonly Account[], defaultId: string | null): AccountSource {
  const byId = new Map(accounts.map((account) => [account.id, account]));
  if (defaultId !== null && !byId.has(defaultId)) throw new Error(`default account ${defaultId} is not among the accounts`);
  return { defaultId, find: async (id) => byId.get(id) ?? null };
}

/**
 * The account's key in shared and long-lived state (quotas, catalog caches, Redis): its id plus a
 * digest of its base URL, so two deployments that both call their account `default` never share a
 * quota or a cached catalog through one Redis, and a re-pointed account starts afresh.
 */
export function accountKey(account: Account): string {
  let key = keys.get(account);
  if (key === undefined) {
    key = `${account.id}:${createHash('sha256').update(account.baseUrl).digest('hex').slice(0, 12)}`;
    keys.set(account, key);
  }
  return key;
}

// Asked on every catalog read and guard lookup: the digest is computed once per account object.
const keys = new WeakMap<Account, string>();
