import { GraphQLError } from 'graphql';

/** Which limit an operation broke; `extensions.limit` of every limit error (docs/hardening.md). */
export type LimitName =
  | 'depth'
  | 'aliases'
  | 'directives'
  | 'cost'
  | 'pageSize'
  | 'representations'
  | 'ids'
  | 'upstreamCalls'
  | 'bodySize';

/** Codes of limit errors: the shape of the operation, or the value of an argument. */
export type LimitCode = 'GRAPHQL_VALIDATION_FAILED' | 'BAD_USER_INPUT';

/**
 * A typed limit error that ends the request with HTTP 400 before execution. `max` is exposed on
 * purpose: the client is a router operated by the same team, and a figure says what to change.
 */
export function limitError(
  message: string,
  limit: LimitName,
  max: number,
  options: { code?: LimitCode; extensions?: Record<string, unknown> } = {},
): GraphQLError {
  const code = options.code ?? 'GRAPHQL_VALIDATION_FAILED';
  return new GraphQLError(message, { extensions: { code, limit, max, ...options.extensions, http: { status: 400 } } });
}

/** A BAD_USER_INPUT error raised before execution, hence with the HTTP 400 of a rejected request. */
export function inputError(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions, http: { status: 400 } } });
}
