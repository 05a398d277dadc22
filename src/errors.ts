import { GraphQLError } from 'graphql';

/** The GraphQL error codes of docs/design.md#errors. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'ACCOUNT_NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_BAD_RESPONSE';

/** What went wrong upstream, as the client classifies it. */
export type FreshchatErrorKind =
  | 'UNAUTHENTICATED' // 401
  | 'FORBIDDEN' // 403
  | 'NOT_FOUND' // 404 (a missing object; resolvers turn it into null)
  | 'PAGE_OUT_OF_RANGE' // WRONG_PAGE: the page does not exist in the search result
  | 'BAD_REQUEST' // other 4xx: our request was wrong
  | 'RATE_LIMITED' // 429 after retries
  | 'UNAVAILABLE' // 5xx, timeouts, connection faults, deadline
  | 'BAD_RESPONSE'; // non-JSON, HTML, wrong shape

export interface FreshchatErrorOptions {
  /** HTTP status when there was a response. */
  status?: number;
  /** Freshchat's UPPER_SNAKE `status` key (e.g. AGENT_NOT_FOUND) when the body carried one. */
  upstreamStatus?: string;
  /** Seconds to wait before retrying (429). */
  retryAfter?: number;
  /** False when the request certainly never reached Freshchat (refused by a limit, never connected). */
  sent?: boolean;
  cause?: unknown;
}

/**
 * The one error type the Freshchat client throws. Its message is ours, never the upstream body,
 * and never contains the token.
 */
export class FreshchatError extends Error {
  readonly kind: FreshchatErrorKind;
  readonly status: number | undefined;
  readonly upstreamStatus: string | undefined;
  readonly retryAfter: number | undefined;
  /** False when the request certainly never reached Freshchat; undefined when it may have. */
  readonly sent: boolean | undefined;

  constructor(kind: FreshchatErrorKind, message: string, options: FreshchatErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FreshchatError';
    this.kind = kind;
    this.status = options.status;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfter = options.retryAfter;
    this.sent = options.sent;
  }
}

const CODE_BY_KIND: Record<FreshchatErrorKind, ErrorCode> = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'UPSTREAM_BAD_RESPONSE', // only reached when a 404 was not expected (lookups map it to null)
  PAGE_OUT_OF_RANGE: 'UPSTREAM_BAD_RESPONSE',
  BAD_REQUEST: 'UPSTREAM_BAD_RESPONSE',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
};

const PUBLIC_MESSAGE: Record<ErrorCode, string> = {
  BAD_USER_INPUT: 'Invalid input.',
  ACCOUNT_NOT_FOUND: 'No such Freshchat account for this caller.',
  UNAUTHENTICATED: 'Freshchat rejected the API token (401).',
  FORBIDDEN: 'The Freshchat API token lacks a scope this field needs (403).',
  RATE_LIMITED: 'Freshchat rate limit reached; retry later.',
  UPSTREAM_UNAVAILABLE: 'Freshchat is unavailable or did not answer in time.',
  UPSTREAM_BAD_RESPONSE: 'Freshchat sent a response this subgraph cannot read.',
};

/** A typed client-input error (docs/design.md#errors BAD_USER_INPUT). */
export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions } });
}

/**
 * docs/design.md#caller-authentication: an unknown, unlinked or other tenant's account, all alike, so that the answer never
 * tells a caller that an account it may not use exists.
 */
export function accountNotFound(id: string | null): GraphQLError {
  const message =
    id === null
      ? 'No Freshchat account was named (the `accountId` argument or the x-freshchat-account-id header) and none is configured by default.'
      : `No Freshchat account ${JSON.stringify(id)} is available to this caller.`;
  return new GraphQLError(message, { extensions: { code: 'ACCOUNT_NOT_FOUND' } });
}

/** The single mapping from upstream faults to GraphQL errors: upstream bodies never pass through. */
export function toGraphQLError(error: FreshchatError): GraphQLError {
  const code = CODE_BY_KIND[error.kind];
  const extensions: Record<string, unknown> = { code };
  if (error.status !== undefined) extensions.upstreamStatus = error.status;
  // Fail fast, say when: a 429 or a quota refusal, and an open circuit (seconds until its probe).
  if ((code === 'RATE_LIMITED' || code === 'UPSTREAM_UNAVAILABLE') && error.retryAfter !== undefined) extensions.retryAfter = error.retryAfter;
  return new GraphQLError(PUBLIC_MESSAGE[code], { extensions, originalError: error });
}
