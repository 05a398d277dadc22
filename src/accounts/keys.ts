import { legacyAad, type CredentialCipher } from './crypto.js';
import type { Database, Queryable } from './db.js';
import { RegistryStartError } from './db-faults.js';
import { aadOf, SEALED_COLUMNS, toSealed, type SealedRow } from './rows.js';

/** Key rotation, the start-up key check and migration 4's re-seal (docs/design.md#linked-accounts), over every stored ciphertext. */

/** Re-encrypts every row not under the current key, in one transaction; returns how many. */
export async function rotateKey(db: Database, cipher: CredentialCipher): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<SealedRow>(
      `select ${SEALED_COLUMNS} from accounts where token_key_id <> $1 for update`,
      [cipher.currentKeyId],
    );
    for (const row of rows) {
      if (!opens(cipher, aadOf(row), row)) {
        throw new KeyCheckError(`stored account ${row.id} does not decrypt under its id, API URL, tenant and identity (changed outside the subgraph?): unlink it or link it again, then rotate`);
      }
      await store(tx, row.id, cipher.seal(aadOf(row), cipher.open(aadOf(row), toSealed(row))));
    }
    return rows.length;
  });
}

/**
 * Throws a KeyCheckError, naming CREDENTIALS_KEY, when a row is sealed with a key that is not
 * configured (a wrong key: every such account would fail). A row under a configured key that does
 * not open was changed outside the subgraph: it is returned, not a reason to refuse to start.
 */
export async function checkKeys(db: Database, cipher: CredentialCipher | undefined): Promise<{ unusable: string[] }> {
  const rows = await db.query<SealedRow>(`select ${SEALED_COLUMNS} from accounts order by id`);
  if (rows.length === 0) return { unusable: [] };
  if (!cipher) throw missingKey(rows.length);
  const foreign = rows.filter((row) => !cipher.knows(row.token_key_id));
  if (foreign.length > 0) {
    throw new KeyCheckError(
      `CREDENTIALS_KEY (with CREDENTIALS_KEY_PREVIOUS) cannot decrypt ${foreign.length} of ${rows.length} stored account(s), e.g. ${foreign[0]?.id}: wrong key?`,
    );
  }
  return { unusable: rows.filter((row) => !opens(cipher, aadOf(row), row)).map((row) => row.id) };
}

/**
 * Migration 4: tokens sealed when only the account id was authenticated are sealed again, bound to
 * their id, API URL, tenant and identity (the column migration 3 added, so it runs after that one:
 * a relinked or re-pointed account re-seals under its new identity in ./store.ts). It runs inside the migration's transaction, so the registry is
 * either all old or all new; it needs the key, which is why it is code and not SQL. A row that does
 * not open as an old one is left as it is (unusable, and reported by the key check).
 */
export async function resealLegacy(tx: Queryable, cipher: CredentialCipher | undefined): Promise<void> {
  const rows = await tx.query<SealedRow>(`select ${SEALED_COLUMNS} from accounts order by id for update`);
  if (rows.length === 0) return;
  if (!cipher) throw missingKey(rows.length);
  for (const row of rows) {
    if (!cipher.knows(row.token_key_id)) {
      throw new KeyCheckError(`CREDENTIALS_KEY (with CREDENTIALS_KEY_PREVIOUS) cannot decrypt stored account ${row.id} to re-seal it: wrong key?`);
    }
    if (!opens(cipher, legacyAad(row.id), row)) continue;
    await store(tx, row.id, cipher.seal(aadOf(row), cipher.open(legacyAad(row.id), toSealed(row))));
  }
}

/** A start-up failure of the key check: one line, naming the variable. */
export class KeyCheckError extends RegistryStartError {
  constructor(message: string) {
    super(message);
    this.name = 'KeyCheckError';
  }
}

const missingKey = (count: number) => new KeyCheckError(`CREDENTIALS_KEY is not set, but ${count} linked account(s) are stored encrypted`);

async function store(tx: Queryable, id: string, sealed: ReturnType<CredentialCipher['seal']>): Promise<void> {
  await tx.query('update accounts set token_key_id = $2, token_nonce = $3, token_ciphertext = $4 where id = $1', [
    id, sealed.keyId, sealed.nonce, sealed.ciphertext,
  ]);
}

function opens(cipher: CredentialCipher, aad: Buffer, row: SealedRow): boolean {
  try {
    cipher.open(aad, toSealed(row));
    return true;
  } catch {
    return false;
  }
}
