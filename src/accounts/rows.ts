import { bindingAad, type Sealed } from './crypto.js';

/** Whether Freshchat accepted the account's token the last time it was used. */
export type AccountStatus = 'active' | 'invalid_credentials';

/** The `accounts` table as the queries read it (./migrations.ts). */
export interface Row {
  id: string;
  name: string;
  api_url: string;
  tenant: string | null;
  status: AccountStatus;
  last_validated_at: Date | null;
  last_error_code: string | null;
  created_at: Date;
}

export interface SealedRow extends Row {
  /** Random, given at link and at every change of api_url (migration 3): see linkedAccountKey. */
  identity: string;
  token_key_id: string;
  token_nonce: Uint8Array;
  token_ciphertext: Uint8Array;
}

export const COLUMNS = 'id, name, api_url, tenant, status, last_validated_at, last_error_code, created_at';
export const SEALED_COLUMNS = `${COLUMNS}, identity, token_key_id, token_nonce, token_ciphertext`;

export const toSealed = (row: SealedRow): Sealed => ({
  keyId: row.token_key_id,
  nonce: Buffer.from(row.token_nonce),
  ciphertext: Buffer.from(row.token_ciphertext),
});

/** What the row's token is bound to (./crypto.ts): its id, where it is sent, who may use it, and its identity. */
export const aadOf = (row: Pick<SealedRow, 'id' | 'api_url' | 'tenant' | 'identity'>): Buffer =>
  bindingAad({ accountId: row.id, apiUrl: row.api_url, tenant: row.tenant, identity: row.identity });
