import { afterEach, describe, expect, it } from 'vitest';
import { createTransport, faultCode, toQueryString } from '../../src/freshchat/transport.js';
import type { Call } from '../../src/freshchat/transport.js';
import { decodeUser } from '../../src/resources/contacts.js';
import type * as Freshchat from '../../src/resources/wire.js';
import { JSON_HEADERS, createHarness, failureOf, settle, user } from './harness.js';
import type { Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await settle(harness);
  harness = undefined;
});

const createUser = (idempotent: boolean): Call<Freshchat.User> => ({
  method: 'POST',
  path: '/users',
  body: { email: 'new@example.com' },
  idempotent,
  decode: decodeUser,
});

describe('the internal request function', () => {
  it('sends a JSON body with its content type', async () => {
    harness = createHarness();
    harness.upstream
      .intercept({
        path: '/v2/users',
        method: 'POST',
        body: JSON.stringify({ email: 'new@example.com' }),
        headers: { 'content-type': 'application/json' },
      })
      .reply(201, user, { headers: JSON_HEADERS });
    await expect(createTransport(harness.options)(createUser(false))).resolves.toEqual(user);
  });

  it.each([
    ['503', (h: Harness) => h.upstream.intercept({ path: '/v2/users', method: 'POST' }).reply(503, ''), 'UNAVAILABLE'],
    ['429', (h: Harness) => h.upstream.intercept({ path: '/v2/users', method: 'POST' }).reply(429, '', { headers: { 'retry-after': '1' } }), 'RATE_LIMITED'],
    [
      'connection reset',
      (h: Harness) =>
        h.upstream.intercept({ path: '/v2/users', method: 'POST' }).replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })),
      'UNAVAILABLE',
    ],
  ])('does not retry a non-idempotent call after a %s', async (_, arrange, kind) => {
    harness = createHarness();
    arrange(harness);
    await expect(failureOf(createTransport(harness.options)(createUser(false)))).resolves.toMatchObject({ kind });
    expect(harness.attempts).toHaveLength(1);
    expect(harness.sleeps).toEqual([]);
  });

  it('retries the same call when it is declared idempotent', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/users', method: 'POST' }).reply(503, '');
    harness.upstream.intercept({ path: '/v2/users', method: 'POST' }).reply(200, user, { headers: JSON_HEADERS });
    await expect(createTransport(harness.options)(createUser(true))).resolves.toEqual(user);
    expect(harness.attempts).toHaveLength(2);
  });
});

describe('toQueryString', () => {
  it.each([
    [{}, ''],
    [{ page: 1 }, '?page=1'],
    [{ page: 2, items_per_page: 20, groups: 'g1' }, '?groups=g1&items_per_page=20&page=2'],
    [{ is_deactivated: false, availability_status: undefined }, '?is_deactivated=false'],
    [{ b: true, a: undefined }, '?b=true'],
    [{ email: 'a+b c@example.com' }, '?email=a%2Bb+c%40example.com'],
    [{ created_from: '1970-01-01T00:00:00.000Z' }, '?created_from=1970-01-01T00%3A00%3A00.000Z'],
  ])('serialises %j as %j', (query, expected) => {
    expect(toQueryString(query)).toBe(expected);
  });

  it('gives the same string whatever the key order', () => {
    expect(toQueryString({ page: 1, groups: 'g', is_deactivated: true })).toBe(
      toQueryString({ is_deactivated: true, groups: 'g', page: 1 }),
    );
  });
});

describe('faultCode', () => {
  it.each([
    ['an error code', Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    ['a cause code', new Error('x', { cause: Object.assign(new Error('y'), { code: 'UND_ERR_SOCKET' }) }), 'UND_ERR_SOCKET'],
    ['an aggregate', new AggregateError([Object.assign(new Error('y'), { code: 'ECONNREFUSED' })]), 'ECONNREFUSED'],
    ['no code', new Error('x'), undefined],
    ['a code that is not a code', Object.assign(new Error('x'), { code: 'Bearer abc def' }), undefined],
    ['a string', 'boom', undefined],
  ])('reads %s', (_, error, code) => {
    expect(faultCode(error)).toBe(code);
  });
});
