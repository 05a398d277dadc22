import { randomBytes, randomUUID } from 'node:crypto';
import { linkedAccountKey, type AccountChange, type AccountChangeListener } from '../account.js';
import { AccountUnusableError } from '../errors.js';
import { Secret } from '../secret.js';
import { MissingKeyError, type CredentialCipher } from './crypto.js';
import type { Database, Queryable, QueryOptions } from './db.js';
import { checkKeys, rotateKey } from './keys.js';
import { purgeAccountState } from './purge.js';
import { aadOf, COLUMNS, SEALED_COLUMNS, toSealed, type AccountStatus, type Row, type SealedRow } from './rows.js';

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

/**
 * Every method is bounded in time (./db.ts) and fails with a RegistryUnavailableError when the
 * database cannot answer; `options.deadline` cuts the bound to a request's deadline.
 */
export interface AccountStore {
  insert(account: NewAccount): Promise<LinkedAccount>;
  list(): Promise<LinkedAccount[]>;
  get(id: string, options?: QueryOptions): Promise<LinkedAccount | null>;
  /**
   * The account with its token decrypted and its identity (linkedAccountKey), for sending requests.
   * An AccountUnusableError when the ciphertext does not open under the row's id, API URL, tenant
   * and identity (the row was changed outside this subgraph, so the token is not handed to whatever
   * the row now says), or under a known key.
   */
  getWithToken(id: string, options?: QueryOptions): Promise<{ account: LinkedAccount; token: Secret; identity: string } | null>;
  /**
   * Validated changes: a new token or URL also marks the account active and validated now. A new
   * URL may reach another Freshchat account, so it also gives the account a new identity, retires
   * the old key and erases what was stored under it; a new token for the same URL keeps the key.
   * The token is sealed again for its new URL and identity (so a new URL needs the old token to
   * open, or a new one).
   */
  update(id: string, changes: AccountChanges): Promise<{ account: LinkedAccount; retiredKey: string | null } | null>;
  /** Deletes the row, ciphertext included, and what was stored under its key; answers the retired key. */
  remove(id: string): Promise<{ retiredKey: string } | null>;
  /** The credential lifecycle (docs/design.md#linked-accounts): what the last upstream answer said of the token. */
  setStatus(id: string, status: AccountStatus, errorCode: string | null): Promise<void>;
  /** For /ready: how many accounts are linked, and (the first 100 of) those whose token Freshchat rejects. */
  health(options?: QueryOptions): Promise<{ linked: number; invalidCredentials: string[] }>;
  /** Re-encrypts every row not under the current key; returns how many. */
  rotateKey(): Promise<number>;
  /**
   * Throws a KeyCheckError, naming CREDENTIALS_KEY, when a stored row is sealed with a key that is
   * not configured; returns the ids of rows sealed with a configured key that still do not open
   * (changed outside this subgraph: unusable until linked again, but no reason to stop the start).
   */
  checkKeys(): Promise<{ unusable: string[] }>;
  /** `tx`-bound copy, so a link page can claim its session and insert in one transaction. */
  within(tx: Queryable): Pick<AccountStore, 'insert'>;
  /**
   * Told after every update or removal this process commits, before the call answers: whatever
   * keeps state about accounts across requests drops what it holds of that one. (Other processes
   * learn of a change within ACCOUNT_CACHE_TTL_MS; README "Linked accounts".)
   */
  onChange(listener: AccountChangeListener): void;
}

export function createAccountStore(db: Database, cipher: CredentialCipher | undefined): AccountStore {
  const listeners: AccountChangeListener[] = [];
  const told = async <T>(result: T, change: (result: NonNullable<T>) => AccountChange): Promise<T> => {
    if (result === null || result === undefined) return result;
    // Listeners report their own failures: one that fails must not fail a change already committed.
    await Promise.allSettled(listeners.map(async (listener) => listener(change(result))));
    return result;
  };
  const needCipher = (): CredentialCipher => {
    if (!cipher) throw new MissingKeyError();
    return cipher;
  };
  return {
    insert: async (account) => insert(db, needCipher(), account),
    list: async () => (await db.query<Row>(`select ${COLUMNS} from accounts order by created_at, id`)).map(toAccount),
    get: async (id, options) => first(await db.query<Row>(`select ${COLUMNS} from accounts where id = $1`, [id], options), toAccount),
    async getWithToken(id, options) {
      const [row] = await db.query<SealedRow>(`select ${SEALED_COLUMNS} from accounts where id = $1`, [id], options);
      return row ? { account: toAccount(row), token: new Secret(open(needCipher(), row)), identity: row.identity } : null;
    },
    update: async (id, changes) => told(await update(db, cipher, id, changes), ({ retiredKey }) => ({ id, retiredKey })),
    remove: async (id) => told(await remove(db, id), ({ retiredKey }) => ({ id, retiredKey })),
    async setStatus(id, status, errorCode) {
      await db.query('update accounts set status = $2, last_error_code = $3, updated_at = now() where id = $1', [id, status, errorCode]);
    },
    async health(options) {
      const [count] = await db.query<{ linked: number }>('select count(*)::int as linked from accounts', [], options);
      const invalid = await db.query<{ id: string }>(
        `select id from accounts where status = 'invalid_credentials' order by id limit 100`,
        [],
        options,
      );
      return { linked: count?.linked ?? 0, invalidCredentials: invalid.map((row) => row.id) };
    },
    rotateKey: async () => rotateKey(db, needCipher()),
    checkKeys: () => checkKeys(db, cipher),
    within: (tx) => ({ insert: async (account) => insert(tx, needCipher(), account) }),
    onChange: (listener) => void listeners.push(listener),
  };
}

async function insert(db: Queryable, cipher: CredentialCipher, account: NewAccount): Promise<LinkedAccount> {
  const id = account.id ?? newAccountId();
  const identity = randomUUID();
  const sealed = cipher.seal(aadOf({ id, api_url: account.apiUrl, tenant: account.tenant, identity }), account.token);
  const rows = await db.query<Row>(
    `insert into accounts (id, name, api_url, tenant, last_validated_at, token_key_id, token_nonce, token_ciphertext, identity)
     values ($1, $2, $3, $4, now(), $5, $6, $7, $8) on conflict (id) do nothing returning ${COLUMNS}`,
    [id, account.name, account.apiUrl, account.tenant, sealed.keyId, sealed.nonce, sealed.ciphertext, identity],
  );
  const row = rows[0];
  if (!row) throw new DuplicateAccountError(id);
  return toAccount(row);
}

/** The row's token, opened under what it is bound to; an AccountUnusableError when it does not open. */
function open(cipher: CredentialCipher, row: SealedRow): string {
  if (!cipher.knows(row.token_key_id)) {
    throw new AccountUnusableError(row.id, row.tenant, `its token is sealed with key ${row.token_key_id}, which neither CREDENTIALS_KEY nor CREDENTIALS_KEY_PREVIOUS is`);
  }
  try {
    return cipher.open(aadOf(row), toSealed(row));
  } catch {
    throw new AccountUnusableError(row.id, row.tenant);
  }
}

/**
 * One transaction. A new URL gives the account a new identity, and re-seals the token (the new one,
 * or the old one opened under the old binding) for the new URL and identity.
 */
async function update(
  db: Database,
  cipher: CredentialCipher | undefined,
  id: string,
  changes: AccountChanges,
): Promise<{ account: LinkedAccount; retiredKey: string | null } | null> {
  const revalidated = changes.token !== undefined || changes.apiUrl !== undefined;
  return db.transaction(async (tx) => {
    const [row] = await tx.query<SealedRow>(`select ${SEALED_COLUMNS} from accounts where id = $1 for update`, [id]);
    if (!row) return null;
    const apiUrl = changes.apiUrl ?? row.api_url;
    const repointed = apiUrl !== row.api_url;
    const identity = repointed ? randomUUID() : row.identity;
    const token = changes.token ?? (repointed ? open(cipher ?? fail(), row) : undefined);
    const sealed = token === undefined ? undefined : (cipher ?? fail()).seal(aadOf({ id, api_url: apiUrl, tenant: row.tenant, identity }), token);
    const rows = await tx.query<Row>(
      `update accounts set
         name = coalesce($2, name), api_url = $3,
         token_key_id = coalesce($4, token_key_id), token_nonce = coalesce($5, token_nonce),
         token_ciphertext = coalesce($6, token_ciphertext),
         status = case when $7 then 'active' else status end,
         last_error_code = case when $7 then null else last_error_code end,
         last_validated_at = case when $7 then now() else last_validated_at end,
         identity = $8, updated_at = now()
       where id = $1 returning ${COLUMNS}`,
      [id, changes.name ?? null, apiUrl, sealed?.keyId ?? null, sealed?.nonce ?? null, sealed?.ciphertext ?? null, revalidated, identity],
    );
    const retiredKey = repointed ? linkedAccountKey(id, row.identity) : null;
    if (retiredKey !== null) await eraseKept(tx, id, retiredKey);
    return first(rows, (updated) => ({ account: toAccount(updated), retiredKey }));
  });
}

async function remove(db: Database, id: string): Promise<{ retiredKey: string } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ identity: string }>('delete from accounts where id = $1 returning identity', [id]);
    if (!row) return null;
    const retiredKey = linkedAccountKey(id, row.identity);
    await eraseKept(tx, id, retiredKey);
    return { retiredKey };
  });
}

/**
 * What the registry database keeps under a retired key: its idempotency keys (stored payloads hold
 * the account's data, and no request can reach them again), and the account's change log and sync
 * state (./purge.ts): after a relink or a new URL the poller takes a new baseline of whatever
 * Freshchat account the id now reaches, instead of diffing it against another account's snapshots.
 */
async function eraseKept(tx: Queryable, id: string, retiredKey: string): Promise<void> {
  await tx.query('delete from idempotency_keys where account_key = $1', [retiredKey]);
  await purgeAccountState(tx, id);
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
