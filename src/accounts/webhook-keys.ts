/**
 * The RSA public key Freshchat signs an account's webhooks with (docs/sync.md "Webhooks in"), set
 * through `PATCH /admin/accounts/{id}` and kept in the registry (`webhook_keys`). The key is public:
 * it is stored as given (normalised to SubjectPublicKeyInfo PEM) and never echoed back.
 *
 * Freshchat's settings screen shows it as `-----BEGIN RSA PUBLIC KEY----- MIIB... -----END RSA PUBLIC
 * KEY-----`, often on one line, and despite the PKCS#1 label the base64 is SubjectPublicKeyInfo
 * (`MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A...`). Either DER form is accepted under any label, with or
 * without line breaks, or as bare base64.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Queryable } from './db.js';

const ARMOUR = /^-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Below this an RSA key is forgeable; Freshchat's keys are 2048 bits. */
const MIN_MODULUS_BITS = 1024;

/** The key as Node's crypto uses it, or null when `input` is not an RSA public key in a form above. */
export function parseWebhookKey(input: string): KeyObject | null {
  const trimmed = input.trim();
  const body = ARMOUR.exec(trimmed)?.[1] ?? trimmed;
  const base64 = body.replace(/\s+/g, '');
  if (base64.length === 0 || !BASE64.test(base64)) return null;
  const der = Buffer.from(base64, 'base64');
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      return key.asymmetricKeyType === 'rsa' && bits >= MIN_MODULUS_BITS ? key : null;
    } catch {
      // not this form; try the next
    }
  }
  return null;
}

export interface WebhookKeys {
  /** The account's key, or null when none is set. */
  get(accountId: string): Promise<KeyObject | null>;
  /** Stores a key parsed by parseWebhookKey. */
  set(accountId: string, key: KeyObject): Promise<void>;
  /** Which of these accounts have a key. */
  which(accountIds: readonly string[]): Promise<Set<string>>;
}

export function createWebhookKeys(db: Queryable): WebhookKeys {
  return {
    async get(accountId) {
      const [row] = await db.query<{ public_key: string }>('select public_key from webhook_keys where account_id = $1', [accountId]);
      return row ? createPublicKey(row.public_key) : null;
    },
    async set(accountId, key) {
      const pem = key.export({ type: 'spki', format: 'pem' }).toString();
      await db.query(
        `insert into webhook_keys (account_id, public_key) values ($1, $2)
         on conflict (account_id) do update set public_key = excluded.public_key, updated_at = now()`,
        [accountId, pem],
      );
    },
    async which(accountIds) {
      if (accountIds.length === 0) return new Set();
      const rows = await db.query<{ account_id: string }>('select account_id from webhook_keys where account_id = any($1::text[])', [[...accountIds]]);
      return new Set(rows.map((row) => row.account_id));
    },
  };
}
