import { z } from 'zod';

/**
 * The node-router's settings, read once from the environment it is given (it is its own process, so
 * it does not share the Freshchat subgraph's config). Every problem is reported at once.
 */
export const DEFAULT_NODE_TYPES = ['FreshchatUser', 'FreshchatGroup', 'FreshchatRole', 'FreshchatTicketingUser'] as const;

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

const typeList = z
  .string()
  .transform((value) => value.split(',').map((name) => name.trim()).filter((name) => name !== ''))
  .refine((names) => names.length > 0, 'must name at least one type')
  .refine((names) => names.every((name) => GRAPHQL_NAME.test(name)), 'must be a comma-separated list of GraphQL type names')
  .refine((names) => new Set(names).size === names.length, 'must not name a type twice');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4002),
  HOST: z.string().min(1).default('0.0.0.0'),
  NODE_ROUTER_TYPES: typeList.default([...DEFAULT_NODE_TYPES]),
  NODE_ENV: z.string().default('development'),
});

export interface NodeRouterConfig {
  port: number;
  host: string;
  /** The concrete Node types of every helpdesk subgraph in the supergraph. */
  typenames: string[];
  /** `NODE_ENV=production` hides stack traces in errors. */
  production: boolean;
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
  return { port: e.PORT, host: e.HOST, typenames: e.NODE_ROUTER_TYPES, production: e.NODE_ENV === 'production' };
}
