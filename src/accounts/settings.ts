import { z } from 'zod';
import { Secret } from '../secret.js';
import { parseAllowedHosts, type HostPattern } from './allowed-hosts.js';

/**
 * The environment settings of linked accounts (docs/design.md#linked-accounts). src/config.ts spreads `AccountsEnv` into
 * its schema, so it stays the only reader of process.env; this module only says what they mean.
 */

const base64Key = (name: string) =>
  z
    .string()
    .refine((value) => isKey(value), `${name} must be 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`)`)
    .optional();

function isKey(value: string): boolean {
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32;
}

const isHttpUrl = (value: string): boolean => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);

export const AccountsEnv = {
  /** A real Postgres server; unset → embedded PGlite under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .refine((v) => URL.canParse(v) && ['postgres:', 'postgresql:'].includes(new URL(v).protocol), 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  /** The longest a registry statement (or the wait for a connection) may take; a request's deadline cuts it shorter. */
  REGISTRY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  CREDENTIALS_KEY: base64Key('CREDENTIALS_KEY'),
  CREDENTIALS_KEY_PREVIOUS: base64Key('CREDENTIALS_KEY_PREVIOUS'),
  ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_URL: z.string().refine(isHttpUrl, 'must be an http(s) URL').optional(),
  FRESHCHAT_ALLOWED_HOSTS: z.string().min(1).default('*.freshchat.com'),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_JWKS_URL: z.string().refine(isHttpUrl, 'must be an http(s) URL').optional(),
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  AUTH_TENANT_CLAIM: z.string().min(1).default('tenant'),
  /** `true`: /ready lists and /metrics labels name linked accounts by id (else only the admin token sees ids on /ready). */
  EXPOSE_ACCOUNT_IDS: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  /**
   * How long a resolved linked account (its row read, its token decrypted) is reused across requests;
   * 0 = read the registry on every request. Changes made through this process are seen at once,
   * changes made by another replica or the CLI within this long.
   */
  ACCOUNT_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
};

export interface AuthSettings {
  /** HS256 secret, or a JWKS URL (asymmetric keys); exactly one of them. */
  key: { kind: 'secret'; secret: Secret } | { kind: 'jwks'; url: URL };
  issuer: string | undefined;
  audience: string | undefined;
  tenantClaim: string;
}

export interface AccountsSettings {
  /** A Secret: the URL may carry the database password. */
  databaseUrl: Secret | undefined;
  dataDir: string;
  credentialsKey: Secret | undefined;
  previousCredentialsKey: Secret | undefined;
  /** Unset: the admin API answers 404. */
  adminToken: Secret | undefined;
  publicUrl: string | undefined;
  /** REGISTRY_TIMEOUT_MS. */
  registryTimeoutMs: number;
  /** FRESHCHAT_ALLOWED_HOSTS, each entry validated at start. */
  allowedHosts: HostPattern[];
  /** Unset: every caller may use every account. */
  auth: AuthSettings | undefined;
  /** EXPOSE_ACCOUNT_IDS: linked account ids on /ready and in /metrics labels for anyone who can reach them. */
  exposeAccountIds: boolean;
  /** ACCOUNT_CACHE_TTL_MS: 0 = every request reads its linked accounts from the registry. */
  accountCacheTtlMs: number;
}

type Env = z.infer<z.ZodObject<typeof AccountsEnv>>;

const secret = (value: string | undefined) => (value === undefined ? undefined : new Secret(value));

/** Returns the settings, or the problems (one line each) that loadConfig reports with the others. */
export function toAccountsSettings(e: Env): AccountsSettings | { problems: string[] } {
  if (e.AUTH_JWT_SECRET !== undefined && e.AUTH_JWKS_URL !== undefined) {
    return { problems: ['AUTH_JWT_SECRET and AUTH_JWKS_URL are exclusive: set one of them'] };
  }
  const hosts = parseAllowedHosts(e.FRESHCHAT_ALLOWED_HOSTS);
  if (!hosts.ok) return { problems: hosts.problems };
  return {
    databaseUrl: secret(e.DATABASE_URL),
    dataDir: e.DATA_DIR,
    credentialsKey: secret(e.CREDENTIALS_KEY),
    previousCredentialsKey: secret(e.CREDENTIALS_KEY_PREVIOUS),
    adminToken: secret(e.ADMIN_TOKEN),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    registryTimeoutMs: e.REGISTRY_TIMEOUT_MS,
    allowedHosts: hosts.patterns,
    auth: toAuth(e),
    exposeAccountIds: e.EXPOSE_ACCOUNT_IDS,
    accountCacheTtlMs: e.ACCOUNT_CACHE_TTL_MS,
  };
}

function toAuth(e: Env): AuthSettings | undefined {
  const key: AuthSettings['key'] | undefined =
    e.AUTH_JWT_SECRET !== undefined
      ? { kind: 'secret', secret: new Secret(e.AUTH_JWT_SECRET) }
      : e.AUTH_JWKS_URL !== undefined
        ? { kind: 'jwks', url: new URL(e.AUTH_JWKS_URL) }
        : undefined;
  if (key === undefined) return undefined;
  return { key, issuer: e.AUTH_JWT_ISSUER, audience: e.AUTH_JWT_AUDIENCE, tenantClaim: e.AUTH_TENANT_CLAIM };
}
