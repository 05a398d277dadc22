import { z } from 'zod';
import { ACCOUNT_ID_PATTERN } from './account.js';
import { Secret } from './secret.js';

/**
 * The only reader of the environment (STYLE rule 9): validated once at start, every problem reported
 * at once, then passed down as a plain value.
 */

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

function isFreshchatBaseUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && /\/v2\/?$/.test(url.pathname);
}

const EnvSchema = z.object({
  PORT: int(4001, 0, 65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FRESHCHAT_API_URL: z
    .string()
    .refine(isFreshchatBaseUrl, 'must be an http(s) URL ending with /v2, e.g. https://acme.freshchat.com/v2')
    .optional(),
  FRESHCHAT_API_TOKEN: z.string().trim().min(1, 'must not be empty').optional(),
  FRESHCHAT_ACCOUNT_ID: z.string().regex(ACCOUNT_ID_PATTERN, 'must match [A-Za-z0-9._-]{1,64}').optional(),
  REQUEST_DEADLINE_MS: int(25_000, 100, 120_000),
  UPSTREAM_CONNECT_TIMEOUT_MS: int(5_000, 10, 60_000),
  UPSTREAM_HEADERS_TIMEOUT_MS: int(15_000, 10, 120_000),
  UPSTREAM_BODY_TIMEOUT_MS: int(15_000, 10, 120_000),
  UPSTREAM_KEEPALIVE_TIMEOUT_MS: int(10_000, 100, 600_000),
  UPSTREAM_CONNECTIONS: int(32, 1, 1024),
  UPSTREAM_MAX_ATTEMPTS: int(3, 1, 10),
  UPSTREAM_RETRY_BASE_MS: int(200, 1, 60_000),
  UPSTREAM_RETRY_MAX_MS: int(5_000, 1, 120_000),
  UPSTREAM_PAGE_SIZE: int(50, 1, 100),
  CATALOG_CACHE_TTL_MS: int(30_000, 0, 3_600_000),
  SANDBOX_PORT: int(0, 0, 65535),
});

export interface UpstreamSettings {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  keepAliveTimeoutMs: number;
  connectionsPerOrigin: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** The largest `items_per_page` asked of Freshchat (it may clamp lower; responses are trusted). */
  pageSize: number;
}

/** Where the default account lives: a real Freshchat account, or the embedded sandbox. */
export type UpstreamTarget =
  | { kind: 'freshchat'; accountId: string; baseUrl: string; token: Secret }
  | { kind: 'sandbox'; accountId: string; port: number };

export interface Config {
  port: number;
  host: string;
  production: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  target: UpstreamTarget;
  requestDeadlineMs: number;
  catalogCacheTtlMs: number;
  upstream: UpstreamSettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Reads and validates `env`; throws ConfigError listing every problem, one line each. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    target: toTarget(e),
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    catalogCacheTtlMs: e.CATALOG_CACHE_TTL_MS,
    upstream: {
      connectTimeoutMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: e.UPSTREAM_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.UPSTREAM_BODY_TIMEOUT_MS,
      keepAliveTimeoutMs: e.UPSTREAM_KEEPALIVE_TIMEOUT_MS,
      connectionsPerOrigin: e.UPSTREAM_CONNECTIONS,
      maxAttempts: e.UPSTREAM_MAX_ATTEMPTS,
      retryBaseDelayMs: e.UPSTREAM_RETRY_BASE_MS,
      retryMaxDelayMs: e.UPSTREAM_RETRY_MAX_MS,
      pageSize: e.UPSTREAM_PAGE_SIZE,
    },
  };
}

function toTarget(e: z.infer<typeof EnvSchema>): UpstreamTarget {
  const { FRESHCHAT_API_URL: url, FRESHCHAT_API_TOKEN: token } = e;
  if (url === undefined && token === undefined) {
    return { kind: 'sandbox', accountId: e.FRESHCHAT_ACCOUNT_ID ?? 'sandbox', port: e.SANDBOX_PORT };
  }
  if (url === undefined) throw new ConfigError(['FRESHCHAT_API_URL must be set when FRESHCHAT_API_TOKEN is set']);
  if (token === undefined) throw new ConfigError(['FRESHCHAT_API_TOKEN must be set when FRESHCHAT_API_URL is set']);
  return {
    kind: 'freshchat',
    accountId: e.FRESHCHAT_ACCOUNT_ID ?? 'default',
    baseUrl: url.replace(/\/+$/, ''),
    token: new Secret(token),
  };
}

/** An empty variable (`FOO=`) means "not set", as in most twelve-factor tooling. */
function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
}
