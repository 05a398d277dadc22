import type { AccountStatus, AccountStore } from './store.js';

/**
 * The credential lifecycle (docs/design.md#linked-accounts): a Freshchat 401 marks an account `invalid_credentials`, a
 * later success marks it `active` again. What the registry last said is remembered per account, so
 * the steady state (success after success) costs no database write; the memory is bounded.
 */
export interface CredentialLifecycle {
  /** What the registry row said when it was read (keeps the memory in step with other replicas). */
  seen(accountId: string, status: AccountStatus): void;
  /** One upstream answer for the account (HTTP status); resolves once any change is stored. */
  observe(accountId: string, httpStatus: number): Promise<void>;
}

export function createCredentialLifecycle(store: Pick<AccountStore, 'setStatus'>, maxAccounts = 10_000): CredentialLifecycle {
  const known = new Map<string, AccountStatus>();
  const remember = (accountId: string, status: AccountStatus) => {
    known.delete(accountId); // re-insert: Map order is the eviction order (least recently seen first)
    known.set(accountId, status);
    if (known.size > maxAccounts) known.delete(known.keys().next().value as string);
  };
  return {
    seen: remember,
    async observe(accountId, httpStatus) {
      const next = toStatus(httpStatus);
      if (next === undefined || known.get(accountId) === next) return;
      await store.setStatus(accountId, next, next === 'active' ? null : 'UNAUTHENTICATED');
      remember(accountId, next);
    },
  };
}

/** 401 says the token is bad and 2xx that it works; anything else (403, 429, 5xx) says nothing of it. */
function toStatus(httpStatus: number): AccountStatus | undefined {
  if (httpStatus === 401) return 'invalid_credentials';
  if (httpStatus >= 200 && httpStatus < 300) return 'active';
  return undefined;
}
