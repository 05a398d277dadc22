import { z } from 'zod';
import { ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE } from './account.js';
import type { HttpOptions } from './freshchat/http.js';
import type { RetryPolicy } from './freshchat/retry.js';
import { Secret } from './secret.js';
import { AccountsEnv, toAccountsSettings, type AccountsSettings } from './accounts/settings.js';
import { parseWebhookKey } from './accounts/webhook-keys.js';
import { WebhooksOutEnv, toWebhooksOutSettings, type WebhooksOutSettings } from './webhooks-out/settings.js';

/**
 * The only reader of the environment (docs/design.md#settings): validated once at start, every problem reported
 * at once, then passed down as a plain value.
 */

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

function isFreshchatBaseUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && /\/v2\/?$/.test(url.pathname);
}

// ── Client-facing hardening (docs/hardening.md) ──────────────────────────────────────────────────
// Operation limits, request size and production switches of the GraphQL endpoint. The defaults are
// tuned to router-generated operations, measured in test/hardening/router-operations.test.ts.
const flag = z.enum(['true', 'false']).transform((value) => value === 'true').optional();

export const HardeningEnv = {
  /** Introspection (`__schema`, `__type`); default on, except with NODE_ENV=production. */
  GRAPHQL_INTROSPECTION: flag,
  /** JSON body limit: the router's own default (`http_max_request_bytes`) is 2,000,000. */
  MAX_REQUEST_BYTES: int(2_000_000, 1_024, 50_000_000),
  MAX_QUERY_TOKENS: int(5_000, 100, 100_000),
  MAX_QUERY_DEPTH: int(12, 2, 100),
  MAX_QUERY_ALIASES: int(30, 0, 1_000),
  MAX_QUERY_DIRECTIVES: int(50, 0, 1_000),
  MAX_QUERY_COST: int(50_000, 1, 100_000_000),
  MAX_ENTITY_REPRESENTATIONS: int(500, 1, 100_000),
  /** Freshchat calls one GraphQL request may make, estimated before execution and counted during it. */
  MAX_UPSTREAM_CALLS_PER_REQUEST: int(100, 1, 100_000),
  /** Deepest offset a cursor may point at (docs/design.md#connections-over-freshchat-pages): 20,000 pages of 50, far past any directory. */
  MAX_CURSOR_OFFSET: int(1_000_000, 0, 1_000_000_000),
  /** Largest `items_per_page` asked of Freshchat: the loaders' page size, and the call estimate's. */
  UPSTREAM_PAGE_SIZE: int(50, 1, 100),
};

/** Limits checked before execution, so a rejected operation never reaches Freshchat. */
export interface OperationLimits {
  maxTokens: number;
  /** Field nesting; fragments do not count as a level. */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Estimated cost under the schema's `@listSize` model (see src/hardening/operation-walk.ts). */
  maxCost: number;
  /** Representations per `_entities` call. */
  maxRepresentations: number;
  /** Freshchat calls per GraphQL request: the pre-execution estimate and the runtime count. */
  maxUpstreamCalls: number;
  /** `items_per_page` the loaders ask for (UPSTREAM_PAGE_SIZE), which sizes the call estimate. */
  upstreamPageSize: number;
}

export interface HardeningSettings {
  introspection: boolean;
  maxRequestBytes: number;
  limits: OperationLimits;
  /** Deepest offset a client's cursor may point at; deeper is BAD_USER_INPUT before any call. */
  maxCursorOffset: number;
}

export function toHardening(e: z.infer<z.ZodObject<typeof HardeningEnv>>, production: boolean): HardeningSettings {
  return {
    introspection: e.GRAPHQL_INTROSPECTION ?? !production,
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    maxCursorOffset: e.MAX_CURSOR_OFFSET,
    limits: {
      maxTokens: e.MAX_QUERY_TOKENS,
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_QUERY_ALIASES,
      maxDirectives: e.MAX_QUERY_DIRECTIVES,
      maxCost: e.MAX_QUERY_COST,
      maxRepresentations: e.MAX_ENTITY_REPRESENTATIONS,
      maxUpstreamCalls: e.MAX_UPSTREAM_CALLS_PER_REQUEST,
      upstreamPageSize: e.UPSTREAM_PAGE_SIZE,
    },
  };
}

/**
 * Connections of an HTTP server here (the subgraph's and the node router's): how many in all, how
 * many from one client address, how long a new one may stay silent (docs/hardening.md, Connections).
 */
export const ConnectionsEnv = {
  /** Open client connections at once; beyond it new ones are refused at accept. */
  MAX_CONNECTIONS: int(1_000, 1, 1_000_000),
  /** Open connections one client address (an IPv6 /64) may hold; default a quarter of MAX_CONNECTIONS. */
  MAX_CONNECTIONS_PER_CLIENT: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** A connection that has sent nothing this long after it was accepted is closed. */
  FIRST_BYTE_TIMEOUT_MS: int(10_000, 100, 30_000),
};

/** MAX_CONNECTIONS, MAX_CONNECTIONS_PER_CLIENT and FIRST_BYTE_TIMEOUT_MS (src/hardening/http-server.ts enforces them). */
export interface ConnectionLimits {
  /** Open connections in all; beyond it new sockets are closed at accept. */
  maxConnections: number;
  /** Open connections one client address may hold; beyond it its new sockets are closed at accept. */
  maxConnectionsPerClient: number;
  /** A connection that has sent nothing this long after it was accepted is closed. */
  firstByteTimeoutMs: number;
}

export function toConnectionLimits(e: z.infer<z.ZodObject<typeof ConnectionsEnv>>): ConnectionLimits {
  return {
    maxConnections: e.MAX_CONNECTIONS,
    maxConnectionsPerClient: Math.min(e.MAX_CONNECTIONS, e.MAX_CONNECTIONS_PER_CLIENT ?? Math.ceil(e.MAX_CONNECTIONS / 4)),
    firstByteTimeoutMs: e.FIRST_BYTE_TIMEOUT_MS,
  };
}
// ── end of client-facing hardening ───────────────────────────────────────────────────────────────

// ── Upstream resilience (docs/resilience.md) ─────────────────────────────────────────────────────
// Per Freshchat account: request quota and concurrency, retry budget, circuit breakers; REDIS_URL
// shares the quota and the catalog cache across replicas. Freshchat publishes no numeric limit, so
// the quota default is conservative (Freshservice's smallest plan allows 100 requests per minute).
const isRedisUrl = (value: string): boolean =>
  URL.canParse(value) && ['redis:', 'rediss:'].includes(new URL(value).protocol);

const ResilienceEnv = {
  // Unset: 100 for a real account, 6,000 for the embedded sandbox (which has no quota to protect).
  FRESHCHAT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(2).max(1_000_000).optional(),
  FRESHCHAT_MAX_CONCURRENCY: int(10, 1, 1_000),
  FRESHCHAT_MAX_QUEUE: int(200, 0, 100_000),
  FRESHCHAT_RETRY_BUDGET: int(500, 0, 1_000_000),
  FRESHCHAT_BREAKER_FAILURES: int(5, 1, 1_000),
  FRESHCHAT_BREAKER_COOLDOWN_MS: int(10_000, 10, 3_600_000),
  REDIS_URL: z.string().refine(isRedisUrl, 'must be a redis:// or rediss:// URL').optional(),
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must match [A-Za-z0-9._:-]{1,64}').default('freshchat-subgraph'),
  FRESHCHAT_MAX_ACCOUNTS: int(1_000, 1, 1_000_000),
};

export interface ResilienceSettings {
  /** Requests per minute per account, all replicas together when Redis is shared. */
  ratePerMinute: number;
  /** Calls in flight per account, per replica. */
  maxConcurrency: number;
  /** Calls waiting for a concurrency slot per account, per replica; beyond it, RATE_LIMITED. */
  maxQueue: number;
  /** Retry token bucket per account: a retry costs 5 (10 after a timeout), a success refunds 1. */
  retryBudget: number;
  /** Consecutive failures (5xx, timeouts, resets) of one endpoint family that open its circuit. */
  breakerFailures: number;
  /** How long an open circuit refuses calls before one probe is let through. */
  breakerCooldownMs: number;
  /** A Secret: the URL may carry the Redis password. */
  redisUrl: Secret | undefined;
  redisKeyPrefix: string;
  /** Accounts whose guards, catalogs and list totals are kept in memory (least recently used dropped). */
  maxAccounts: number;
}

const DEFAULT_RATE_PER_MINUTE = { freshchat: 100, sandbox: 6_000 } as const;

function toResilience(e: z.infer<z.ZodObject<typeof ResilienceEnv>>, target: keyof typeof DEFAULT_RATE_PER_MINUTE): ResilienceSettings {
  return {
    ratePerMinute: e.FRESHCHAT_RATE_LIMIT_PER_MINUTE ?? DEFAULT_RATE_PER_MINUTE[target],
    maxConcurrency: e.FRESHCHAT_MAX_CONCURRENCY,
    maxQueue: e.FRESHCHAT_MAX_QUEUE,
    retryBudget: e.FRESHCHAT_RETRY_BUDGET,
    breakerFailures: e.FRESHCHAT_BREAKER_FAILURES,
    breakerCooldownMs: e.FRESHCHAT_BREAKER_COOLDOWN_MS,
    redisUrl: e.REDIS_URL === undefined ? undefined : new Secret(e.REDIS_URL),
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    maxAccounts: e.FRESHCHAT_MAX_ACCOUNTS,
  };
}
// ── end of upstream resilience ───────────────────────────────────────────────────────────────────

// ── Operations (docs/design.md#operations; README "Running in production") ─────────────────────────
const OperationsEnv = {
  /** `false` turns GET /metrics off (404). */
  METRICS_ENABLED: flag,
  /** Traces are exported only when this is set, e.g. http://otel-collector:4318 (OTLP over HTTP). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL').optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(128).default('freshchat-subgraph'),
  /** SIGTERM/SIGINT: in-flight requests get this long to finish before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 600_000),
  ...ConnectionsEnv,
  /** How long a /ready verdict is reused: at most one upstream probe per interval, whatever the traffic. */
  READY_CACHE_MS: int(5_000, 0, 600_000),
  /** With NODE_ENV=production the embedded sandbox is never served unless this is `true`. */
  FRESHCHAT_SANDBOX: flag,
};

export interface OperationsSettings {
  metricsEnabled: boolean;
  /** Undefined: no trace is exported (nor instrumentation loaded). */
  otlpEndpoint: string | undefined;
  serviceName: string;
  shutdownTimeoutMs: number;
  connections: ConnectionLimits;
  readyCacheMs: number;
}

function toOperations(e: z.infer<z.ZodObject<typeof OperationsEnv>>): OperationsSettings {
  return {
    metricsEnabled: e.METRICS_ENABLED ?? true,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: e.OTEL_SERVICE_NAME,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    connections: toConnectionLimits(e),
    readyCacheMs: e.READY_CACHE_MS,
  };
}
// ── end of operations ────────────────────────────────────────────────────────────────────────────

// ── Sync (docs/sync.md) ───────────────────────────────────────────────────────────────────────────
// The change log behind `freshchat { changes }`: polling what Freshchat never announces, Freshchat's
// webhooks in, and how long changes are kept.
const isRsaPublicKey = (value: string): boolean => parseWebhookKey(value) !== null;

const SyncEnv = {
  // Seconds between polls of each account's agents, groups, roles and contacts; 0 turns polling off.
  // Unset: 300 for a real account, 10 for the embedded sandbox (which has no quota to protect).
  SYNC_INTERVAL_S: z.coerce.number().int().min(0).max(86_400).optional(),
  /** Days a change stays readable; a cursor older than that is CURSOR_EXPIRED. */
  SYNC_RETENTION_DAYS: int(30, 1, 3_650),
  /** The environment account's webhook public key (linked accounts set theirs through the admin API). */
  FRESHCHAT_WEBHOOK_PUBLIC_KEY: z.string().refine(isRsaPublicKey, 'must be an RSA public key (PEM, or the one-line form Freshchat shows)').optional(),
};

export interface SyncConfig {
  /** 0: no polling. */
  intervalMs: number;
  retentionMs: number;
  /** PEM or Freshchat's one-line form, already checked to parse. */
  webhookPublicKey: string | undefined;
}

const DEFAULT_SYNC_INTERVAL_S = { freshchat: 300, sandbox: 10 } as const;

function toSync(e: z.infer<z.ZodObject<typeof SyncEnv>>, target: keyof typeof DEFAULT_SYNC_INTERVAL_S): SyncConfig {
  return {
    intervalMs: (e.SYNC_INTERVAL_S ?? DEFAULT_SYNC_INTERVAL_S[target]) * 1000,
    retentionMs: e.SYNC_RETENTION_DAYS * 86_400_000,
    webhookPublicKey: e.FRESHCHAT_WEBHOOK_PUBLIC_KEY,
  };
}
// ── end of sync ──────────────────────────────────────────────────────────────────────────────────

const EnvSchema = z.object({
  PORT: int(4001, 0, 65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FRESHCHAT_API_URL: z
    .string()
    .refine(isFreshchatBaseUrl, 'must be an http(s) URL ending with /v2, e.g. https://acme.freshchat.com/v2')
    .optional(),
  FRESHCHAT_API_TOKEN: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .regex(/^[\x20-\x7e]+$/, 'must hold only characters an HTTP header can carry (no line break or control character)')
    .optional(),
  FRESHCHAT_ACCOUNT_ID: z.string().regex(ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE).optional(),
  // With caller JWTs (AUTH_JWT_SECRET/AUTH_JWKS_URL), the one tenant that may use the environment account.
  FRESHCHAT_ACCOUNT_TENANT: z.string().trim().min(1).max(200).optional(),
  REQUEST_DEADLINE_MS: int(25_000, 100, 120_000),
  // The shared undici dispatcher (src/freshchat/http.ts); undici's own defaults are 10 s to connect,
  // 300 s for headers and body, and unlimited sockets. Per-attempt timeouts sit well inside the
  // request deadline, so a slow attempt leaves room for a retry.
  UPSTREAM_CONNECT_TIMEOUT_MS: int(5_000, 10, 60_000),
  UPSTREAM_HEADERS_TIMEOUT_MS: int(15_000, 10, 120_000),
  UPSTREAM_BODY_TIMEOUT_MS: int(15_000, 10, 120_000),
  // Under the 5 s after which Node and many servers drop an idle socket, so we close it first and
  // never write into a half-closed one; a server's Keep-Alive hint still shortens it.
  UPSTREAM_KEEPALIVE_TIMEOUT_MS: int(4_000, 100, 600_000),
  // Sockets per origin: unlimited would only help to trip 429s.
  UPSTREAM_CONNECTIONS: int(32, 1, 1024),
  UPSTREAM_MAX_ATTEMPTS: int(3, 1, 10),
  UPSTREAM_RETRY_BASE_MS: int(200, 1, 60_000),
  UPSTREAM_RETRY_MAX_MS: int(5_000, 1, 120_000),
  CATALOG_CACHE_TTL_MS: int(30_000, 0, 3_600_000),
  // How long an idempotency key answers repeats of its write (docs/design.md#writes-and-idempotency): a day, like Stripe's.
  IDEMPOTENCY_TTL_S: int(86_400, 1, 30 * 86_400),
  // Opt-in: agent list pages reused across requests for this long (src/loaders/page-cache.ts); 0 = off.
  AGENT_PAGE_CACHE_TTL_MS: int(0, 0, 300_000),
  SANDBOX_PORT: int(0, 0, 65535),
  ...HardeningEnv, // client-facing hardening (block above)
  ...ResilienceEnv, // upstream resilience (block above)
  ...OperationsEnv, // operations (block above)
  ...AccountsEnv, // linked accounts (src/accounts/settings.ts)
  ...SyncEnv, // sync (block above)
  ...WebhooksOutEnv, // webhooks out (src/webhooks-out/settings.ts)
});

/** Every variable the subgraph reads (`.env.example` must list them all). */
export const SETTING_NAMES: readonly string[] = Object.keys(EnvSchema.shape);

/** The dispatcher's limits, the retry policy and the page size of every Freshchat client. */
export interface UpstreamSettings extends HttpOptions {
  retry: RetryPolicy;
  /** The largest `items_per_page` asked of Freshchat (it may clamp lower; responses are trusted). */
  pageSize: number;
}

/** Where the default account lives: a real Freshchat account, or the embedded sandbox. */
export type UpstreamTarget =
  | { kind: 'freshchat'; accountId: string; tenant: string | null; baseUrl: string; token: Secret }
  | { kind: 'sandbox'; accountId: string; tenant: string | null; port: number }
  // NODE_ENV=production with no account and no FRESHCHAT_SANDBOX=true: linked accounts only (docs/design.md#linked-accounts).
  | { kind: 'none' };

export interface Config {
  port: number;
  host: string;
  production: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  target: UpstreamTarget;
  requestDeadlineMs: number;
  catalogCacheTtlMs: number;
  idempotencyTtlMs: number;
  /** AGENT_PAGE_CACHE_TTL_MS: 0 = agent pages are never reused across requests (the default). */
  agentPageCacheTtlMs: number;
  upstream: UpstreamSettings;
  hardening: HardeningSettings; // client-facing hardening
  resilience: ResilienceSettings; // upstream resilience
  operations: OperationsSettings; // operations
  accounts: AccountsSettings; // linked accounts (src/accounts/settings.ts)
  sync: SyncConfig; // sync
  webhooksOut: WebhooksOutSettings; // webhooks out (src/webhooks-out/settings.ts)
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
  const target = toTarget(e);
  const accounts = toAccountsSettings(e);
  if ('problems' in accounts) throw new ConfigError(accounts.problems);
  return {
    port: e.PORT,
    host: e.HOST,
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    target,
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    catalogCacheTtlMs: e.CATALOG_CACHE_TTL_MS,
    idempotencyTtlMs: e.IDEMPOTENCY_TTL_S * 1000,
    agentPageCacheTtlMs: e.AGENT_PAGE_CACHE_TTL_MS,
    hardening: toHardening(e, e.NODE_ENV === 'production'), // client-facing hardening
    resilience: toResilience(e, target.kind === 'sandbox' ? 'sandbox' : 'freshchat'), // upstream resilience
    operations: toOperations(e), // operations
    accounts, // linked accounts
    sync: toSync(e, target.kind === 'sandbox' ? 'sandbox' : 'freshchat'), // sync
    webhooksOut: toWebhooksOutSettings(e, e.NODE_ENV === 'production'), // webhooks out
    upstream: {
      connectTimeoutMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: e.UPSTREAM_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.UPSTREAM_BODY_TIMEOUT_MS,
      keepAliveTimeoutMs: e.UPSTREAM_KEEPALIVE_TIMEOUT_MS,
      connectionsPerOrigin: e.UPSTREAM_CONNECTIONS,
      retry: { maxAttempts: e.UPSTREAM_MAX_ATTEMPTS, baseDelayMs: e.UPSTREAM_RETRY_BASE_MS, maxDelayMs: e.UPSTREAM_RETRY_MAX_MS },
      pageSize: e.UPSTREAM_PAGE_SIZE,
    },
  };
}

function toTarget(e: z.infer<typeof EnvSchema>): UpstreamTarget {
  const { FRESHCHAT_API_URL: url, FRESHCHAT_API_TOKEN: token } = e;
  const tenant = e.FRESHCHAT_ACCOUNT_TENANT ?? null;
  if (url === undefined && token === undefined) {
    if (e.NODE_ENV === 'production' && e.FRESHCHAT_SANDBOX !== true) {
      if (tenant !== null) throw new ConfigError(['FRESHCHAT_ACCOUNT_TENANT is set, but there is no environment account (FRESHCHAT_API_URL/FRESHCHAT_API_TOKEN) to give it to']);
      return { kind: 'none' };
    }
    return { kind: 'sandbox', accountId: e.FRESHCHAT_ACCOUNT_ID ?? 'sandbox', tenant, port: e.SANDBOX_PORT };
  }
  if (url === undefined) throw new ConfigError(['FRESHCHAT_API_URL must be set when FRESHCHAT_API_TOKEN is set']);
  if (token === undefined) throw new ConfigError(['FRESHCHAT_API_TOKEN must be set when FRESHCHAT_API_URL is set']);
  return {
    kind: 'freshchat',
    accountId: e.FRESHCHAT_ACCOUNT_ID ?? 'default',
    tenant,
    baseUrl: url.replace(/\/+$/, ''),
    token: new Secret(token),
  };
}

/** An empty variable (`FOO=`) means "not set", as in most twelve-factor tooling. */
function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
}
