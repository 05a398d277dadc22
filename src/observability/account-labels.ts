import { createHmac, randomBytes } from 'node:crypto';

/** The value of a metric's `account` label for an account id. */
export type AccountLabel = (accountId: string) => string;

export interface AccountLabelOptions {
  /** EXPOSE_ACCOUNT_IDS: every account by its id. */
  expose: boolean;
  /** Accounts of the operator's own (the environment account, accounts a program embeds): by id. */
  operatorIds: readonly string[];
  /** Keys the pseudonyms, so they are the same on every replica and across restarts (CREDENTIALS_KEY). */
  key: string | undefined;
}

/**
 * /metrics is for dashboards, often scraped without credentials, so it does not name customers'
 * accounts: a linked account's series are labelled `linked-<12 hex>`, an HMAC of its id. Keyed (a
 * plain hash of a guessable id such as `acme` would name it to anyone who guesses), stable (a series
 * survives restarts and is the same on every replica), and written beside the id in the
 * operator's log lines, which is how a pseudonym is traced back to its account.
 */
export function createAccountLabels(options: AccountLabelOptions): AccountLabel {
  if (options.expose) return (accountId) => accountId;
  const operator = new Set(options.operatorIds);
  const key = createHmac('sha256', options.key ?? randomBytes(32)).update('freshchat-subgraph metrics account label').digest();
  return (accountId) => (operator.has(accountId) ? accountId : `linked-${createHmac('sha256', key).update(accountId).digest('hex').slice(0, 12)}`);
}
