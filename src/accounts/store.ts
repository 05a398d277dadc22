import { randomBytes } from 'node:crypto';
import { Secret } from '../secret.js';
import { MissingKeyError, type CredentialCipher } from './crypto.js';
import type { Database, Queryable } from './db.js';
import { checkKeys, rotateKey } from './keys.js';
import { COLUMNS, SEALED_COLUMNS, toSealed, type AccountStatus, type Row, type SealedRow } from './rows.js';

export type { AccountStatus } from './rows.js';

/** Account shape `A` of docs/design.md#linked-accounts: everything about a linked account except its token. */
export interface LinkedAccount {
  id: string;
  name: string;
  apiUrl: string;
  tenant: string | null;
  status: AccountStatus;
  lastValidatedAt: string | null;
  lastErrorCode: string | null;
  createdAt: string;
}


export interface NewAccount {
  id?: string;
  name: string;
  /** Already normalised and allowed (src/accounts/allowed-hosts.ts): `https://<host>/v2`. */
  apiUrl: string;
  tenant: string | null;
  token: string;
}

export interface AccountChanges {
  name?: string;
  apiUrl?: string;
  token?: string;
}

export { KeyCheckError } from './keys.js';

export class DuplicateAccountError extends Error {
  constructor(id: string) {
    super(`an account with id ${id} already exists`);
    this.name = 'DuplicateAccountError';
  }
}


/** Server-generated ids: `acc_` + 16 base32 characters (80 random bits). */
export function newAccountId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return 'acc_' + [...randomBytes(16)].map((byte) => alphabet[byte % 32]).join('');
}

export interface AccountStore {
  insert(account: NewAccount): Promise<LinkedAccount>;
  list(): Promise<LinkedAccount[]>;
  get(id: string): Promise<LinkedAccount | null>;
  /** The account with its token decrypted, for sending requests. */
  getWithToken(id: string): Promise<{ account: LinkedAccount; token: Secret } | null>;
  /** Validated changes: a new token or URL also marks the account active and validated now. */
  update(id: string, changes: AccountChanges): Promise<LinkedAccount | null>;
  /** Deletes the row, ciphertext included. */
  remove(id: string): Promise<boolean>;
  /** The credential lifecycle (docs/design.md#linked-accounts): what the last upstream answer said of the token. */
  setStatus(id: string, status: AccountStatus, errorCode: string | null): Promise<void>;
  /** For /ready: how many accounts are linked, and (the first 100 of) those whose token Freshchat rejects. */
  health(): Promise<{ linked: number; invalidCredentials: string[] }>;
  /** Re-encrypts every row not under the current key; returns how many. */
  rotateKey(): Promise<number>;
  /** Throws, naming CREDENTIALS_KEY, when a stored row cannot be decrypted with the configured keys. */
  checkKeys(): Promise<void>;
  /** `tx`-bound copy, so a link page can claim its session and insert in one transaction. */
  within(tx: Queryable): Pick<AccountStore, 'insert'>;
}

export function createAccountStore(db: Database, cipher: CredentialCipher | undefined): AccountStore {
  const needCipher = (): CredentialCipher => {
    if (!cipher) throw new MissingKeyError();
    return cipher;
  };
  const open = (row: SealedRow): Secret => new Secret(needCipher().open(row.id, toSealed(row)));
  return {
    insert: async (account) => insert(db, needCipher(), account),
    list: async () => (await db.query<Row>(`select ${COLUMNS} from accounts order by created_at, id`)).map(toAccount),
    get: async (id) => first(await db.query<Row>(`select ${COLUMNS} from accounts where id = $1`, [id]), toAccount),
    async getWithToken(id) {
      const [row] = await db.query<SealedRow>(`select ${SEALED_COLUMNS} from accounts where id = $1`, [id]);
      return row ? { account: toAccount(row), token: open(row) } : null;
    },
    update: (id, changes) => update(db, cipher, id, changes),
    remove: async (id) => (await db.query<{ id: string }>('delete from accounts where id = $1 returning id', [id])).length > 0,
    async setStatus(id, status, errorCode) {
      await db.query('update accounts set status = $2, last_error_code = $3, updated_at = now() where id = $1', [id, status, errorCode]);
    },
    async health() {
      const [count] = await db.query<{ linked: number }>('select count(*)::int as linked from accounts');
      const invalid = await db.query<{ id: string }>(
        `select id from accounts where status = 'invalid_credentials' order by id limit 100`,
      );
      return { linked: count?.linked ?? 0, invalidCredentials: invalid.map((row) => row.id) };
    },
    rotateKey: async () => rotateKey(db, needCipher()),
    checkKeys: () => checkKeys(db, cipher),
    within: (tx) => ({ insert: async (account) => insert(tx, needCipher(), account) }),
  };
}

async function insert(db: Queryable, cipher: CredentialCipher, account: NewAccount): Promise<LinkedAccount> {
  const id = account.id ?? newAccountId();
  const sealed = cipher.seal(id, account.token);
  const rows = await db.query<Row>(
    `insert into accounts (id, name, api_url, tenant, last_validated_at, token_key_id, token_nonce, token_ciphertext)
     values ($1, $2, $3, $4, now(), $5, $6, $7) on conflict (id) do nothing returning ${COLUMNS}`,
    [id, account.name, account.apiUrl, account.tenant, sealed.keyId, sealed.nonce, sealed.ciphertext],
  );
  const row = rows[0];
  if (!row) throw new DuplicateAccountError(id);
  return toAccount(row);
}

async function update(db: Database, cipher: CredentialCipher | undefined, id: string, changes: AccountChanges): Promise<LinkedAccount | null> {
  const revalidated = changes.token !== undefined || changes.apiUrl !== undefined;
  const sealed = changes.token === undefined ? undefined : (cipher ?? fail()).seal(id, changes.token);
  const rows = await db.query<Row>(
    `update accounts set
       name = coalesce($2, name), api_url = coalesce($3, api_url),
       token_key_id = coalesce($4, token_key_id), token_nonce = coalesce($5, token_nonce),
       token_ciphertext = coalesce($6, token_ciphertext),
       status = case when $7 then 'active' else status end,
       last_error_code = case when $7 then null else last_error_code end,
       last_validated_at = case when $7 then now() else last_validated_at end,
       updated_at = now()
     where id = $1 returning ${COLUMNS}`,
    [id, changes.name ?? null, changes.apiUrl ?? null, sealed?.keyId ?? null, sealed?.nonce ?? null, sealed?.ciphertext ?? null, revalidated],
  );
  return first(rows, toAccount);
}





function fail(): never {
  throw new MissingKeyError();
}


function toAccount(row: Row): LinkedAccount {
  return {
    id: row.id,
    name: row.name,
    apiUrl: row.api_url,
    tenant: row.tenant,
    status: row.status,
    lastValidatedAt: row.last_validated_at?.toISOString() ?? null,
    lastErrorCode: row.last_error_code,
    createdAt: row.created_at.toISOString(),
  };
}

const first = <R, T>(rows: R[], map: (row: R) => T): T | null => (rows[0] === undefined ? null : map(rows[0]));
