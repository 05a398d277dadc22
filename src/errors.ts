import { GraphQLError } from 'graphql';

/** The GraphQL error codes of docs/design.md#errors. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'ACCOUNT_NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_BAD_RESPONSE'
  // The linked-accounts registry did not answer in time, or failed (README "Linked accounts").
  | 'REGISTRY_UNAVAILABLE'
  // A linked account whose stored credentials no longer match its row: it must be linked again.
  | 'ACCOUNT_UNUSABLE';

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
  REGISTRY_UNAVAILABLE: 'The linked-accounts registry is unavailable or did not answer in time; retry later.',
  ACCOUNT_UNUSABLE: 'The stored credentials of this Freshchat account cannot be used; link the account again.',
};

/**
 * A refusal of this subgraph's own whose code and message are written for the caller: GraphQL sends
 * them as they are (src/hardening/format-error.ts), REST routes as `{"error":{"code","message"}}`
 * with `status`. Nothing in it comes from a database or an upstream body.
 */
export class PublicError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The HTTP status a REST route answers with. */
    readonly status: number,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'PublicError';
  }

  /** What the operator's log line adds to the code (never shown to the caller). */
  logFields(): Record<string, unknown> {
    return {};
  }
}

/**
 * The registry database did not answer by the deadline, could not be reached, or refused a
 * statement. `reason` is for the operator's log: a class of fault and an SQLSTATE or errno code,
 * never the statement, its parameters or the driver's message (which may quote them).
 */
export class RegistryUnavailableError extends PublicError {
  constructor(readonly reason: string) {
    super('REGISTRY_UNAVAILABLE', PUBLIC_MESSAGE.REGISTRY_UNAVAILABLE, 503, { retryAfter: 1 });
    this.name = 'RegistryUnavailableError';
  }

  override logFields(): Record<string, unknown> {
    return { reason: this.reason };
  }
}

/**
 * A linked account whose ciphertext does not open under its own id, API URL, tenant and identity:
 * the row was changed outside this subgraph (the token is never sent anywhere then). `tenant` is the
 * row's, so that another tenant's caller can still be told nothing of it.
 */
export class AccountUnusableError extends PublicError {
  constructor(
    readonly accountId: string,
    readonly tenant: string | null,
    /** For the operator's log. */
    readonly reason = 'its token does not open under its id, API URL, tenant and identity: the row was changed outside this subgraph',
  ) {
    super('ACCOUNT_UNUSABLE', PUBLIC_MESSAGE.ACCOUNT_UNUSABLE, 503);
    this.name = 'AccountUnusableError';
  }

  override logFields(): Record<string, unknown> {
    return { accountId: this.accountId, reason: this.reason };
  }
}

/** A typed client-input error (docs/design.md#errors BAD_USER_INPUT). */
export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions } });
}

/**
 * docs/design.md#caller-authentication: an unknown, unlinked or other tenant's account, all alike, so that the answer never
 * tells a caller that an account it may not use exists. `null`: the request named no account, and
 * `defaultRefused` says whether there is a default account this caller may not use (the operator's
 * account is no secret: the message may say so).
 */
export function accountNotFound(id: string | null, defaultRefused = false): PublicError {
  const named = 'No Freshchat account was named (the `accountId` argument or the x-freshchat-account-id header)';
  const message =
    id !== null
      ? `No Freshchat account ${JSON.stringify(id)} is available to this caller.`
      : defaultRefused
        ? `${named}, and the default account is not available to this caller's tenant.`
        : `${named} and none is configured by default.`;
  return new PublicError('ACCOUNT_NOT_FOUND', message, 404);
}

/** An account id (argument or header) that cannot be one: refused before any lookup. */
export function invalidAccountId(where: 'accountId' | 'x-freshchat-account-id'): PublicError {
  const [what, extensions] = where === 'accountId' ? ['`accountId`', { argument: where }] : ['The x-freshchat-account-id header', { header: where }];
  return new PublicError('BAD_USER_INPUT', `${what} is not an account id: it must match [A-Za-z0-9._-]{1,64} and not be . or ..`, 400, extensions);
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

export const MALFORMED_URL_MESSAGE = 'The URL has a malformed percent-encoding.';

/**
 * Express's router decoding a path parameter such as `/admin/accounts/%E0%A4%A`: a URIError with
 * status 400, which is about the URL, not the body (it has no body-parser `type`).
 */
export function isMalformedUrl(error: unknown): boolean {
  return error instanceof URIError;
}
