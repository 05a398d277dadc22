import { createCredentialCipher, type CredentialCipher, type Sealed } from '../accounts/crypto.js';
import type { Database } from '../accounts/db.js';
import { KeyCheckError } from '../accounts/keys.js';
import type { AccountsSettings } from '../accounts/settings.js';

/**
 * Endpoint signing secrets at rest: sealed with the CREDENTIALS_KEY cipher that seals account tokens,
 * so one key, one rotation and one start-up check cover both. The additional authenticated data
 * names the endpoint in a form no account id can take (account ids have no `:`), so a ciphertext
 * copied between an account's row and an endpoint's does not open.
 */

export interface SecretRow {
  id: string;
  secret_key_id: string;
  secret_nonce: Uint8Array;
  secret_ciphertext: Uint8Array;
}

export const SECRET_COLUMNS = 'id, secret_key_id, secret_nonce, secret_ciphertext';

/** The cipher that seals account tokens; undefined without CREDENTIALS_KEY (nothing can be stored). */
export function cipherOf(settings: Pick<AccountsSettings, 'credentialsKey' | 'previousCredentialsKey'>): CredentialCipher | undefined {
  return settings.credentialsKey && createCredentialCipher(settings.credentialsKey, settings.previousCredentialsKey);
}

// Bound to its endpoint, and in a form no account token's binding can take (src/accounts/crypto.ts),
// so a secret's ciphertext copied onto another endpoint or into an account row opens nowhere.
const context = (endpointId: string): Buffer => Buffer.from(JSON.stringify(['webhook-endpoint-secret/1', endpointId]), 'utf8');

export function sealSecret(cipher: CredentialCipher, endpointId: string, secret: string): Sealed {
  return cipher.seal(context(endpointId), secret);
}

export function openSecret(cipher: CredentialCipher, row: SecretRow): string {
  return cipher.open(context(row.id), toSealed(row));
}

/** Re-seals every secret not under the current key, in one transaction; returns how many. */
export async function rotateSecrets(db: Database, cipher: CredentialCipher): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<SecretRow>(`select ${SECRET_COLUMNS} from webhook_endpoints where secret_key_id <> $1 for update`, [cipher.currentKeyId]);
    for (const row of rows) {
      const sealed = sealSecret(cipher, row.id, openSecret(cipher, row));
      await tx.query('update webhook_endpoints set secret_key_id = $2, secret_nonce = $3, secret_ciphertext = $4 where id = $1', [
        row.id, sealed.keyId, sealed.nonce, sealed.ciphertext,
      ]);
    }
    return rows.length;
  });
}

/** Throws a KeyCheckError, naming CREDENTIALS_KEY, when a stored secret cannot be opened. */
export async function checkSecrets(db: Database, cipher: CredentialCipher | undefined): Promise<void> {
  const rows = await db.query<SecretRow>(`select ${SECRET_COLUMNS} from webhook_endpoints order by id`);
  if (rows.length === 0) return;
  if (!cipher) throw new KeyCheckError(`CREDENTIALS_KEY is not set, but ${rows.length} webhook endpoint secret(s) are stored encrypted`);
  const unreadable = rows.filter((row) => !canOpen(cipher, row));
  if (unreadable.length > 0) {
    throw new KeyCheckError(
      `CREDENTIALS_KEY (with CREDENTIALS_KEY_PREVIOUS) cannot decrypt ${unreadable.length} of ${rows.length} webhook endpoint secret(s), e.g. ${unreadable[0]?.id}: wrong key?`,
    );
  }
}

function canOpen(cipher: CredentialCipher, row: SecretRow): boolean {
  try {
    openSecret(cipher, row);
    return true;
  } catch {
    return false;
  }
}

const toSealed = (row: SecretRow): Sealed => ({
  keyId: row.secret_key_id,
  nonce: Buffer.from(row.secret_nonce),
  ciphertext: Buffer.from(row.secret_ciphertext),
});
