import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Secret } from '../secret.js';

/**
 * API tokens at rest (docs/design.md#linked-accounts): AES-256-GCM, a random 96-bit nonce per secret, everything that
 * decides where the token goes and who may use it as additional authenticated data (./store.ts binds
 * the account id, API URL, tenant and identity: a ciphertext copied onto another row, or a row whose
 * `api_url`, `tenant` or `identity` was changed in the database, does not decrypt), and the id of
 * the key beside each ciphertext so rotation knows which rows to re-encrypt.
 */
export interface Sealed {
  keyId: string;
  nonce: Buffer;
  /** Ciphertext followed by the 16-byte GCM tag. */
  ciphertext: Buffer;
}

export interface CredentialCipher {
  /** Id of the key new secrets are sealed with. */
  readonly currentKeyId: string;
  /** `aad`: what the ciphertext is bound to (./store.ts `bindingOf`). */
  seal(aad: Buffer, token: string): Sealed;
  /** Throws when the key is unknown, or the ciphertext or what it is bound to was altered. */
  open(aad: Buffer, sealed: Sealed): string;
  /** Whether a sealed value's key is one this cipher holds. */
  knows(keyId: string): boolean;
}

export class MissingKeyError extends Error {
  constructor() {
    super('CREDENTIALS_KEY is not set: linked-account credentials cannot be stored or read without it (32 random bytes, base64)');
    this.name = 'MissingKeyError';
  }
}

const TAG_BYTES = 16;

/** Not secret: a short fingerprint that names a key without revealing it. */
export function keyIdOf(key: Buffer): string {
  return 'k1_' + createHash('sha256').update('freshchat-subgraph credentials key id\0').update(key).digest('base64url').slice(0, 12);
}

/** `current` seals and opens; `previous` only opens (rows not yet rotated). */
export function createCredentialCipher(current: Secret, previous?: Secret): CredentialCipher {
  const keys = new Map<string, Buffer>();
  for (const secret of [previous, current]) {
    if (secret === undefined) continue;
    const key = Buffer.from(secret.reveal(), 'base64');
    if (key.length !== 32) throw new Error('a credentials key must be 32 bytes');
    keys.set(keyIdOf(key), key);
  }
  const currentKey = Buffer.from(current.reveal(), 'base64');
  const currentKeyId = keyIdOf(currentKey);
  return {
    currentKeyId,
    seal(aad, token) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, nonce);
      cipher.setAAD(aad);
      const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return { keyId: currentKeyId, nonce, ciphertext };
    },
    open(aad, sealed) {
      const key = keys.get(sealed.keyId);
      if (!key) throw new Error(`credentials are sealed with key ${sealed.keyId}, which is not configured`);
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce);
      decipher.setAAD(aad);
      decipher.setAuthTag(sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES));
      const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
    knows: (keyId) => keys.has(keyId),
  };
}

/** What a token is bound to: its account, where it is sent, who may use it, and under which key its state is kept. */
export interface TokenBinding {
  accountId: string;
  apiUrl: string;
  tenant: string | null;
  /**
   * The row's identity (registry migration 3): with the id, the key of everything kept for the
   * account across requests (caches, guards, idempotency outcomes). Bound so that only this
   * subgraph, holding the key, decides which kept state a token's requests meet: a row whose
   * identity is rewritten in the database does not open.
   */
  identity: string;
}

/** The additional authenticated data of a token sealed since registry migration 4; JSON, so unambiguous. */
export const bindingAad = (binding: TokenBinding): Buffer =>
  Buffer.from(JSON.stringify(['freshchat-account-token/2', binding.accountId, binding.apiUrl, binding.tenant, binding.identity]), 'utf8');

/** Before migration 4 a token was bound to its account id only: read once, by that migration, to re-seal it. */
export const legacyAad = (accountId: string): Buffer => Buffer.from(`freshchat-account:${accountId}`, 'utf8');
