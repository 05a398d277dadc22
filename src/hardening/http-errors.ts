import type { ErrorRequestHandler } from 'express';
import { isMalformedUrl, MALFORMED_URL_MESSAGE, PublicError } from '../errors.js';
import type { Logger } from '../logger.js';

/** The fields of a body-parser (express.json) error that decide the answer. */
interface BodyParserError {
  type?: unknown;
  status?: unknown;
  limit?: unknown;
}

interface HttpFailure {
  status: number;
  message: string;
  extensions: Record<string, unknown>;
}

/**
 * Errors raised before Apollo Server sees the request (body too large, malformed JSON, unsupported
 * charset, a URL whose percent-encoding cannot be decoded) as GraphQL-shaped JSON instead of Express's HTML page, which outside production even
 * carries a stack trace. The client's body is never echoed back.
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const failure = toHttpFailure(error);
    if (error instanceof PublicError) logger.warn({ status: failure.status, code: error.code, ...error.logFields() }, error.message);
    else if (failure.status >= 500) logger.error({ err: error }, 'unexpected error before GraphQL execution');
    else logger.info({ status: failure.status, code: failure.extensions.code }, 'request rejected before GraphQL execution');
    res.status(failure.status).json({ errors: [{ message: failure.message, extensions: failure.extensions }] });
  };
}

export function toHttpFailure(error: unknown): HttpFailure {
  // Ours (the registry unavailable, ...): its own status and code, never a masked 500.
  if (error instanceof PublicError) return { status: error.status, message: error.message, extensions: { code: error.code, ...error.extensions } };
  // The URL itself is never echoed back: the decoder's message quotes it.
  if (isMalformedUrl(error)) return { status: 400, message: MALFORMED_URL_MESSAGE, extensions: { code: 'BAD_REQUEST' } };
  const { type, status, limit } = (typeof error === 'object' && error !== null ? error : {}) as BodyParserError;
  if (type === 'entity.too.large') {
    const max = typeof limit === 'number' ? limit : undefined;
    const message = `Request body exceeds the limit of ${max ?? 'the configured'} bytes.`;
    return { status: 413, message, extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 'bodySize', max } };
  }
  if (type === 'entity.parse.failed') {
    return { status: 400, message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, message: 'Request body cannot be read (check Content-Type and Content-Encoding).', extensions: { code: 'BAD_REQUEST' } };
  }
  return { status: 500, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
