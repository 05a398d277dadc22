import { describe, expect, it } from 'vitest';
import { MALFORMED_URL_MESSAGE } from '../../src/errors.js';
import { toHttpFailure } from '../../src/hardening/http-errors.js';

/** Express's router, decoding `/link/%E0%A4%A`: a URIError marked status 400 whose message quotes the URL. */
function paramDecodeError(): URIError {
  try {
    decodeURIComponent('%E0%A4%A');
  } catch (error) {
    return Object.assign(error as URIError, { message: "Failed to decode param '%E0%A4%A'", status: 400 });
  }
  throw new Error('decodeURIComponent accepted a malformed escape');
}

describe('errors raised before GraphQL execution', () => {
  it.each<[string, number, string, string, unknown]>([
    ['a path parameter that cannot be decoded', 400, 'BAD_REQUEST', MALFORMED_URL_MESSAGE, paramDecodeError()],
    ['a body that is not JSON', 400, 'BAD_REQUEST', 'Request body is not valid JSON.', { type: 'entity.parse.failed', status: 400 }],
    ['a body over the limit', 413, 'PAYLOAD_TOO_LARGE', 'Request body exceeds the limit of 10 bytes.', { type: 'entity.too.large', status: 413, limit: 10 }],
    ['an unsupported charset', 415, 'BAD_REQUEST', 'Request body cannot be read (check Content-Type and Content-Encoding).', { type: 'charset.unsupported', status: 415 }],
    ['anything else', 500, 'INTERNAL_SERVER_ERROR', 'Internal server error', new Error('boom')],
  ])('answers %s with %i %s', (_name, status, code, message, error) => {
    expect(toHttpFailure(error)).toMatchObject({ status, message, extensions: { code } });
  });

  it('never echoes the URL it could not decode', () => {
    expect(JSON.stringify(toHttpFailure(paramDecodeError()))).not.toContain('%E0');
  });
});
