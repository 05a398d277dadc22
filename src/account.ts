import type { Secret } from './secret.js';

/**
 * One linked Freshchat account. It is an explicit value resolved per request and passed down, so
 * global ids, loaders and caches are keyed by `id` and several accounts need no redesign.
 */
export interface Account {
  /** Stable, URL-safe identifier ([A-Za-z0-9._-]+); part of every global id. */
  readonly id: string;
  /** Base URL including `/v2`, without a trailing slash, e.g. `https://acme.freshchat.com/v2`. */
  readonly baseUrl: string;
  readonly token: Secret;
}

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** The linked accounts; requests name one by id, or get the default. */
export interface AccountRegistry {
  readonly defaultAccount: Account;
  get(id: string): Account | undefined;
}

export function createAccountRegistry(accounts: readonly Account[], defaultId: string): AccountRegistry {
  const byId = new Map(accounts.map((account) => [account.id, account]));
  const defaultAccount = byId.get(defaultId);
  if (!defaultAccount) throw new Error(`default account ${defaultId} is not among the linked accounts`);
  return { defaultAccount, get: (id) => byId.get(id) };
}
