import { z } from 'zod';
import { ConnectionsEnv, HardeningEnv, toConnectionLimits, toHardening, type ConnectionLimits, type HardeningSettings } from '../config.js';
import { freshchatNodeTypenames } from '../type-defs.js';

/**
 * The node-router's settings, read once from the environment it is given (it is its own process, so
 * it does not share the Freshchat subgraph's config). Every problem is reported at once. Its
 * operation limits are the subgraph's own settings (MAX_QUERY_*, MAX_REQUEST_BYTES), with the
 * same defaults. Without NODE_ROUTER_TYPES it routes every Freshchat entity type, read off
 * schema/freshchat.graphql, so a type added there is routable without touching this file.
 */

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

const typeList = z
  .string()
  .transform((value) => value.split(',').map((name) => name.trim()).filter((name) => name !== ''))
  .refine((names) => names.length > 0, 'must name at least one type')
  .refine((names) => names.every((name) => GRAPHQL_NAME.test(name)), 'must be a comma-separated list of GraphQL type names')
  .refine((names) => new Set(names).size === names.length, 'must not name a type twice');

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const EnvSchema = z.object({
  PORT: int(4002, 0, 65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  NODE_ROUTER_TYPES: typeList.default(freshchatNodeTypenames),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 600_000),
  ...ConnectionsEnv,
  ...HardeningEnv,
});

export interface NodeRouterConfig {
  port: number;
  host: string;
  /** The concrete Node types of every helpdesk subgraph in the supergraph. */
  typenames: string[];
  /** `NODE_ENV=production` hides stack traces in errors. */
  production: boolean;
  logLevel: string;
  shutdownTimeoutMs: number;
  connections: ConnectionLimits;
  hardening: HardeningSettings;
}

export class NodeRouterConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'NodeRouterConfigError';
  }
}

export function loadNodeRouterConfig(env: NodeJS.ProcessEnv): NodeRouterConfig {
  // An empty variable means "not set", as in the subgraph's own config.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) throw new NodeRouterConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  return {
    port: e.PORT,
    host: e.HOST,
    typenames: e.NODE_ROUTER_TYPES,
    production,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    connections: toConnectionLimits(e),
    hardening: toHardening(e, production),
  };
}

/** The settings a node-router gets when started in-process (the supergraph tool, tests). */
export function defaultNodeRouterConfig(typenames: readonly string[]): NodeRouterConfig {
  return { ...loadNodeRouterConfig({ LOG_LEVEL: 'warn' }), typenames: [...typenames] };
}
