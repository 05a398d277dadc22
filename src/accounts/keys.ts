import type { CredentialCipher } from './crypto.js';
import type { Database } from './db.js';
import { SEALED_COLUMNS, toSealed, type SealedRow } from './rows.js';

/** Key rotation and the start-up key check (docs/design.md#linked-accounts), over every stored ciphertext. */

/** Re-encrypts every row not under the current key, in one transaction; returns how many. */
export async function rotateKey(db: Database, cipher: CredentialCipher): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<SealedRow>(
      `select ${SEALED_COLUMNS} from accounts where token_key_id <> $1 for update`,
      [cipher.currentKeyId],
    );
    for (const row of rows) {
      const sealed = cipher.seal(row.id, cipher.open(row.id, toSealed(row)));
      await tx.query('update accounts set token_key_id = $2, token_nonce = $3, token_ciphertext = $4 where id = $1', [
        row.id, sealed.keyId, sealed.nonce, sealed.ciphertext,
      ]);
    }
    return rows.length;
  });
}

/** Throws a KeyCheckError, naming CREDENTIALS_KEY, when a stored row cannot be decrypted. */
export async function checkKeys(db: Database, cipher: CredentialCipher | undefined): Promise<void> {
  const rows = await db.query<SealedRow>(`select ${SEALED_COLUMNS} from accounts order by id`);
  if (rows.length === 0) return;
  if (!cipher) throw new KeyCheckError(`CREDENTIALS_KEY is not set, but ${rows.length} linked account(s) are stored encrypted`);
  const unreadable = rows.filter((row) => !canOpen(cipher, row));
  if (unreadable.length > 0) {
    throw new KeyCheckError(
      `CREDENTIALS_KEY (with CREDENTIALS_KEY_PREVIOUS) cannot decrypt ${unreadable.length} of ${rows.length} stored account(s), e.g. ${unreadable[0]?.id}: wrong key?`,
    );
  }
}

/** A start-up failure of the key check: one line, naming the variable. */
export class KeyCheckError extends Error {
  readonly problems: string[];
  constructor(message: string) {
    super(message);
    this.name = 'KeyCheckError';
    this.problems = [message];
  }
}

function canOpen(cipher: CredentialCipher, row: SealedRow): boolean {
  if (!cipher.knows(row.token_key_id)) return false;
  try {
    cipher.open(row.id, toSealed(row));
    return true;
  } catch {
    return false;
  }
}
