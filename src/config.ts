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

// ── Client-facing hardening (docs/hardening.md) ──────────────────────────────────────────────────
// Operation limits, request size and production switches of the GraphQL endpoint. The defaults are
// tuned to router-generated operations, measured in test/hardening/router-operations.test.ts.
const flag = z.enum(['true', 'false']).transform((value) => value === 'true').optional();

const HardeningEnv = {
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
};

/** Limits checked before execution, so a rejected operation never reaches Freshchat. */
export interface OperationLimits {
  maxTokens: number;
  /** Field nesting; fragments do not count as a level. */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Estimated cost under the schema's `@listSize` model (see src/hardening/cost.ts). */
  maxCost: number;
  /** Representations per `_entities` call. */
  maxRepresentations: number;
}

export interface HardeningSettings {
  introspection: boolean;
  maxRequestBytes: number;
  limits: OperationLimits;
}

function toHardening(e: z.infer<z.ZodObject<typeof HardeningEnv>>, production: boolean): HardeningSettings {
  return {
    introspection: e.GRAPHQL_INTROSPECTION ?? !production,
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    limits: {
      maxTokens: e.MAX_QUERY_TOKENS,
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_QUERY_ALIASES,
      maxDirectives: e.MAX_QUERY_DIRECTIVES,
      maxCost: e.MAX_QUERY_COST,
      maxRepresentations: e.MAX_ENTITY_REPRESENTATIONS,
    },
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
}

const DEFAULT_RATE_PER_MINUTE = { freshchat: 100, sandbox: 6_000 } as const;

function toResilience(e: z.infer<z.ZodObject<typeof ResilienceEnv>>, target: UpstreamTarget['kind']): ResilienceSettings {
  return {
    ratePerMinute: e.FRESHCHAT_RATE_LIMIT_PER_MINUTE ?? DEFAULT_RATE_PER_MINUTE[target],
    maxConcurrency: e.FRESHCHAT_MAX_CONCURRENCY,
    maxQueue: e.FRESHCHAT_MAX_QUEUE,
    retryBudget: e.FRESHCHAT_RETRY_BUDGET,
    breakerFailures: e.FRESHCHAT_BREAKER_FAILURES,
    breakerCooldownMs: e.FRESHCHAT_BREAKER_COOLDOWN_MS,
    redisUrl: e.REDIS_URL === undefined ? undefined : new Secret(e.REDIS_URL),
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
  };
}
// ── end of upstream resilience ───────────────────────────────────────────────────────────────────

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
  // How long an idempotency key answers repeats of its write (DESIGN §8): a day, like Stripe's.
  IDEMPOTENCY_TTL_S: int(86_400, 1, 30 * 86_400),
  SANDBOX_PORT: int(0, 0, 65535),
  ...HardeningEnv, // client-facing hardening (block above)
  ...ResilienceEnv, // upstream resilience (block above)
});

/** Every variable the subgraph reads (`.env.example` must list them all). */
export const SETTING_NAMES: readonly string[] = Object.keys(EnvSchema.shape);

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
  idempotencyTtlMs: number;
  upstream: UpstreamSettings;
  hardening: HardeningSettings; // client-facing hardening
  resilience: ResilienceSettings; // upstream resilience
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
  return {
    port: e.PORT,
    host: e.HOST,
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    target,
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    catalogCacheTtlMs: e.CATALOG_CACHE_TTL_MS,
    idempotencyTtlMs: e.IDEMPOTENCY_TTL_S * 1000,
    hardening: toHardening(e, e.NODE_ENV === 'production'), // client-facing hardening
    resilience: toResilience(e, target.kind), // upstream resilience
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
