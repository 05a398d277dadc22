import { Writable } from 'node:stream';
// Apollo's unwrapResolverError checks `instanceof` against this instance (the alias in vitest.config.ts).
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FreshchatError, RegistryUnavailableError, accountNotFound } from '../../src/errors.js';
import { createErrorFormatter, withoutSuggestions } from '../../src/hardening/format-error.js';
import { createLogger } from '../../src/logger.js';

// The one place errors leave the process: what a client may and may not see (docs/design.md#errors).
function formatterWithLogs(hideSchemaDetails = true) {
  const logs: string[] = [];
  const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(chunk.toString()), done()) });
  return { logs, format: createErrorFormatter({ logger: createLogger('info', destination), hideSchemaDetails }) };
}

/** A resolver error as graphql-js hands it to Apollo: located, with the thrown error as originalError. */
const fromResolver = (thrown: Error) => new GraphQLError(thrown.message, { path: ['freshchat', 'users'], originalError: thrown });
const formatted = (message: string, code = 'INTERNAL_SERVER_ERROR') => ({ message, path: ['freshchat', 'users'], extensions: { code } });

describe('createErrorFormatter', () => {
  it('maps a FreshchatError to its code and our own message, never the upstream body', () => {
    const { format } = formatterWithLogs();
    const upstream = new FreshchatError('UNAVAILABLE', 'GET /v2/users: 503 {"message":"db down at 10.0.0.7"}', { status: 503 });
    const out = format(formatted(upstream.message), fromResolver(upstream));
    expect(out).toEqual({
      message: 'Freshchat is unavailable or did not answer in time.',
      path: ['freshchat', 'users'],
      locations: undefined,
      extensions: { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 },
    });
  });

  it('sends a refusal of ours with its code and message, and logs a registry fault with its reason for the operator', () => {
    const { format, logs } = formatterWithLogs();
    const fault = new RegistryUnavailableError('did not answer within 1000 ms');
    expect(format(formatted(fault.message), fromResolver(fault))).toEqual({
      message: 'The linked-accounts registry is unavailable or did not answer in time; retry later.',
      path: ['freshchat', 'users'],
      locations: undefined,
      extensions: { code: 'REGISTRY_UNAVAILABLE', retryAfter: 1 },
    });
    expect(logs.map((line) => JSON.parse(line) as object)).toEqual([expect.objectContaining({ level: 40, code: 'REGISTRY_UNAVAILABLE', reason: 'did not answer within 1000 ms' })]);
    const notFound = accountNotFound('acme');
    expect(format(formatted(notFound.message), fromResolver(notFound))).toMatchObject({ extensions: { code: 'ACCOUNT_NOT_FOUND' } });
    expect(logs).toHaveLength(1); // a caller's mistake is not the operator's news
  });

  it('masks an untyped error, and logs it with its stack for the operator', () => {
    const { format, logs } = formatterWithLogs();
    const bug = new TypeError("Cannot read properties of undefined (reading 'token') at https://acme.freshchat.com/v2");
    const out = format({ ...formatted(bug.message), extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['TypeError: …'] } }, fromResolver(bug));
    expect(out).toEqual({ message: 'Internal server error', path: ['freshchat', 'users'], locations: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0]!)).toMatchObject({ level: 50, err: { type: 'TypeError', stack: expect.stringContaining('TypeError') } });
  });

  it('masks a GraphQL error that carries no code', () => {
    const { format } = formatterWithLogs();
    const out = format({ message: 'Cannot return null for non-nullable field FreshchatQuery.users.' }, new GraphQLError('Cannot return null'));
    expect(out).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('passes a typed error with its extensions, without suggestions when schema details are hidden', () => {
    const message = 'Unknown argument "frist" on field "FreshchatQuery.users". Did you mean "first"?';
    const input = { message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', argument: 'frist' } };
    expect(formatterWithLogs(true).format(input, new GraphQLError(message))).toEqual({
      message: 'Unknown argument "frist" on field "FreshchatQuery.users".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', argument: 'frist' },
    });
    expect(formatterWithLogs(false).format(input, new GraphQLError(message))).toEqual(input);
  });

  it.each([
    ['Cannot query field "nam" on type "FreshchatGroup". Did you mean "name"?', 'Cannot query field "nam" on type "FreshchatGroup".'],
    [
      'Variable "$a" got invalid value "AVAILABL"; Value "AVAILABL" does not exist in "Availability" enum. Did you mean the enum value "AVAILABLE"?',
      'Variable "$a" got invalid value "AVAILABL"; Value "AVAILABL" does not exist in "Availability" enum.',
    ],
    ['Unknown type "FreshchatUsr". Did you mean "FreshchatUser", "FreshchatQuery", or "FreshchatRole"?', 'Unknown type "FreshchatUsr".'],
  ])('strips the suggestion from %j', (message, expected) => {
    expect(withoutSuggestions(message)).toBe(expected);
  });
});
