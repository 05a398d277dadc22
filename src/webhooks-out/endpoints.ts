import { randomBytes } from 'node:crypto';
import { MissingKeyError, type CredentialCipher } from '../accounts/crypto.js';
import type { Queryable } from '../accounts/db.js';
import { openSecret, sealSecret, SECRET_COLUMNS, type SecretRow } from './endpoint-secrets.js';
import { newSigningSecret } from './signature.js';

/**
 * Webhook endpoints (table `webhook_endpoints`, migration 6): where changes are sent. The signing
 * secret is sealed like account tokens and opened only to sign; it leaves the process once, in the
 * answer that creates the endpoint.
 */

/** An endpoint as the API shows it: never its secret. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  /** Only these accounts' changes; null: every account its owner may use. */
  accountIds: string[] | null;
  /** Only changes of these object types (concrete typenames); null: every type. */
  types: string[] | null;
  /** The tenant that manages it; null: the operator's (admin API). */
  tenant: string | null;
  createdAt: string;
}

export interface NewEndpoint {
  /** Already allowed (./url-policy.ts). */
  url: string;
  description: string | null;
  accountIds: string[] | null;
  types: string[] | null;
  tenant: string | null;
}

/** Whose endpoints a caller sees: the operator sees every one, a tenant only its own. */
export type Scope = { operator: true } | { operator: false; tenant: string };

/** What the sender needs to send to an endpoint. */
export interface EndpointTarget {
  url: string;
  secret: string;
}

export interface EndpointStore {
  /** Stores the endpoint; it receives the changes recorded from now on. The secret is in this answer only. */
  create(endpoint: NewEndpoint): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  list(scope: Scope): Promise<WebhookEndpoint[]>;
  get(id: string, scope: Scope): Promise<WebhookEndpoint | null>;
  /** Deletes the endpoint and its deliveries (sent or not); false when the scope has no such endpoint. */
  remove(id: string, scope: Scope): Promise<boolean>;
  /** The endpoint's URL and opened secret, for sending; null once it is deleted. */
  target(id: string): Promise<EndpointTarget | null>;
}

interface Row {
  id: string;
  url: string;
  description: string | null;
  account_ids: string[] | null;
  types: string[] | null;
  tenant: string | null;
  created_at: Date;
}

const COLUMNS = 'id, url, description, account_ids, types, tenant, created_at';

export function createEndpointStore(db: Queryable, cipher: CredentialCipher | undefined): EndpointStore {
  const needCipher = (): CredentialCipher => {
    if (!cipher) throw new MissingKeyError();
    return cipher;
  };
  return {
    async create(endpoint) {
      const id = newEndpointId();
      const secret = newSigningSecret();
      const sealed = sealSecret(needCipher(), id, secret);
      // The change log's last position now: changes recorded later have a larger one (they commit in
      // order), so the endpoint gets exactly the changes recorded after it was created.
      const [row] = await db.query<Row>(
        `insert into webhook_endpoints (id, url, description, account_ids, types, tenant, after_seq, secret_key_id, secret_nonce, secret_ciphertext)
         values ($1, $2, $3, $4::text[], $5::text[], $6, (select coalesce(max(seq), 0) from changes), $7, $8, $9)
         returning ${COLUMNS}`,
        [id, endpoint.url, endpoint.description, endpoint.accountIds, endpoint.types, endpoint.tenant, sealed.keyId, sealed.nonce, sealed.ciphertext],
      );
      return { endpoint: toEndpoint(row!), secret };
    },
    async list(scope) {
      const { where, params } = scoped(scope);
      return (await db.query<Row>(`select ${COLUMNS} from webhook_endpoints where ${where} order by created_at, id`, params)).map(toEndpoint);
    },
    async get(id, scope) {
      const { where, params } = scoped(scope, id);
      const [row] = await db.query<Row>(`select ${COLUMNS} from webhook_endpoints where ${where}`, params);
      return row ? toEndpoint(row) : null;
    },
    async remove(id, scope) {
      const { where, params } = scoped(scope, id);
      return (await db.query(`delete from webhook_endpoints where ${where} returning id`, params)).length > 0;
    },
    async target(id) {
      const [row] = await db.query<SecretRow & { url: string }>(`select url, ${SECRET_COLUMNS} from webhook_endpoints where id = $1`, [id]);
      return row ? { url: row.url, secret: openSecret(needCipher(), row) } : null;
    },
  };
}

/** The scope's condition, with `id` when given: another tenant's endpoint is found like a missing one. */
export function scoped(scope: Scope, id?: string): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (id !== undefined) clauses.push(`id = $${params.push(id)}`);
  if (!scope.operator) clauses.push(`tenant = $${params.push(scope.tenant)}`);
  return { where: clauses.length > 0 ? clauses.join(' and ') : 'true', params };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** `<prefix>_` and 20 base32 characters (100 random bits). */
export function newId(prefix: string): string {
  return `${prefix}_` + [...randomBytes(20)].map((byte) => ALPHABET[byte % 32]).join('');
}

const newEndpointId = (): string => newId('ep');

function toEndpoint(row: Row): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    accountIds: row.account_ids,
    types: row.types,
    tenant: row.tenant,
    createdAt: row.created_at.toISOString(),
  };
}
