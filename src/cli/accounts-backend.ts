import type { LinkRequest } from '../accounts/linking.js';
import type { LinkedAccount } from '../accounts/store.js';

/** The accounts CLI's operations, on the registry itself or through a running server's admin API. */
export interface AccountsBackend {
  list(): Promise<LinkedAccount[]>;
  /** The stored account; a refusal fails with its code and message. */
  link(request: LinkRequest): Promise<LinkedAccount>;
  /** Fails with ACCOUNT_NOT_FOUND when there is no such account. */
  unlink(id: string): Promise<void>;
  /** Re-encrypts every account token and webhook secret under CREDENTIALS_KEY; how many. */
  rotateKey(): Promise<number>;
  close(): Promise<void>;
}
