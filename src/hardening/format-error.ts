import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { FreshchatError, PublicError, toGraphQLError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface ErrorFormatOptions {
  logger: Logger;
  /** Strip "Did you mean …?" suggestions, which reveal field, argument and enum names. */
  hideSchemaDetails: boolean;
}

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

const INTERNAL = 'INTERNAL_SERVER_ERROR';

/**
 * The one place errors leave the process (docs/design.md#errors). Only message, locations, path and extensions
 * are ever sent (never `originalError`); stack traces only outside production (Apollo's
 * includeStacktraceInErrorResponses). Upstream faults become their typed code with our own message,
 * and so do this subgraph's own refusals (PublicError: a registry fault, an unknown account); anything
 * untyped is an internal error: logged with its cause, sent masked.
 */
export function createErrorFormatter(options: ErrorFormatOptions): FormatError {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    const { path, locations } = formatted;
    if (original instanceof FreshchatError) {
      const { message, extensions } = toGraphQLError(original);
      return { message, path, locations, extensions };
    }
    if (original instanceof PublicError) {
      // Ours, written for the caller; a fault of ours (the registry) is news for the operator too.
      if (original.status >= 500) options.logger.warn({ path, code: original.code, ...original.logFields() }, original.message);
      return { message: original.message, path, locations, extensions: { code: original.code, ...original.extensions } };
    }
    const code = formatted.extensions?.code;
    if (code === undefined || code === INTERNAL) {
      options.logger.error({ err: original, path }, 'unexpected error while serving an operation');
      return { message: 'Internal server error', path, locations, extensions: { code: INTERNAL } };
    }
    const message = ourIntrospectionAdvice(formatted.message);
    return { ...formatted, message: options.hideSchemaDetails ? withoutSuggestions(message) : message };
  };
}

/**
 * Apollo's refusal of introspection advises passing `introspection: true` to ApolloServer, which an
 * operator of this subgraph cannot do: the setting is GRAPHQL_INTROSPECTION (docs/hardening.md).
 */
export function ourIntrospectionAdvice(message: string): string {
  if (!/introspection is not allowed/i.test(message)) return message;
  return 'GraphQL introspection is not allowed here (it is off with NODE_ENV=production), but the query contained __schema or __type. To allow it, set GRAPHQL_INTROSPECTION=true.';
}

/**
 * Apollo's hideSchemaDetailsFromClientErrors only covers validation errors; variable coercion errors
 * ("Value "AVAILABL" does not exist in "HelpdeskAvailability" enum. Did you mean the enum value …?") are
 * raised during execution, so every message is stripped here as well.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '');
}
