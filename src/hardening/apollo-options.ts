import type { ApolloServerOptionsWithSchema, BaseContext } from '@apollo/server';
import type { Config } from '../config.js';
import type { RequestStats } from '../context.js';
import type { Logger } from '../logger.js';
import { accessLogPlugin } from './access-log.js';
import { createErrorFormatter } from './format-error.js';
import { createOperationLimits } from './limits.js';

/** Every Apollo Server option that hardening decides; server.ts adds the schema and its own plugins. */
export type HardenedOptions<TContext extends BaseContext> = Omit<ApolloServerOptionsWithSchema<TContext>, 'schema'>;

/**
 * Production settings (docs/hardening.md): everything explicit, so Apollo never consults NODE_ENV
 * itself (config.ts is the only reader of the environment).
 * - Introspection follows GRAPHQL_INTROSPECTION (default: off in production). `_service { sdl }` is
 *   not introspection and stays on: the router composes from it.
 * - Suggestions are hidden whenever introspection is off, since they would reveal the same schema.
 * - CSRF prevention stays on (Apollo's default), batched HTTP requests off, APQ off (a router does
 *   not send subgraphs APQ, and its cache would only be memory a client can fill).
 */
export function hardenedApolloOptions<TContext extends BaseContext & RequestStats>(
  config: Config,
  logger: Logger,
  // Bench-only (bench/layers.ts prices each layer by removing it): never set by the real wiring.
  without: { accessLog?: boolean; limits?: boolean } = {},
): HardenedOptions<TContext> {
  const { introspection, limits } = config.hardening;
  const operationLimits = without.limits ? { parseOptions: {}, validationRules: [], plugins: [] } : createOperationLimits<TContext>(limits);
  return {
    nodeEnv: config.production ? 'production' : 'development',
    logger,
    introspection,
    hideSchemaDetailsFromClientErrors: !introspection,
    includeStacktraceInErrorResponses: !config.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    persistedQueries: false,
    // Bounds the selections execution expands through fragments (10,000,000), a fragment bomb guard.
    maxRecursiveSelections: true,
    parseOptions: operationLimits.parseOptions,
    validationRules: operationLimits.validationRules,
    formatError: createErrorFormatter({ logger, hideSchemaDetails: !introspection }),
    plugins: [...operationLimits.plugins, ...(without.accessLog ? [] : [accessLogPlugin<TContext>(logger)])],
  };
}
