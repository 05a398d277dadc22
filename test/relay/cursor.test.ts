import { describe, expect, it } from 'vitest';
import { connectionScope, decodeCursor, encodeCursor } from '../../src/relay/cursor.js';
import { errorOf } from '../support/errors.js';

const scope = connectionScope('acme', 'ticketingUsers', { isActive: true });
const encode = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const hashOf = (s: string): string => Buffer.from(encodeCursor(s, 0), 'base64url').toString().split(':')[1] ?? '';
const MAX = 1_000;


describe('encodeCursor / decodeCursor', () => {
  it.each([0, 1, 19, 12_345, Number.MAX_SAFE_INTEGER])('round-trips offset %d', (offset) => {
    const cursor = encodeCursor(scope, offset);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, scope, Number.MAX_SAFE_INTEGER)).toBe(offset);
  });

  it('accepts an offset of exactly the maximum', () => {
    expect(decodeCursor(encodeCursor(scope, MAX), scope, MAX)).toBe(MAX);
  });

  // The scope hash is in every cursor a client has seen, so an offset is as forgeable as it is readable.
  it.each([MAX + 1, 1_125_899_906_842_624, Number.MAX_SAFE_INTEGER])('rejects a forged offset %d past the maximum', (offset) => {
    const error = errorOf(() => decodeCursor(encodeCursor(scope, offset), scope, MAX, 'before'));
    expect(error.message).toBe(`\`before\` cursor points past offset ${MAX}, the deepest this subgraph pages.`);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'before', max: MAX });
  });

  it('encodes c1, a 12-character scope hash and the offset, and not the scope itself', () => {
    const text = Buffer.from(encodeCursor(scope, 7), 'base64url').toString();
    expect(text).toMatch(/^c1:[A-Za-z0-9_-]{12}:7$/);
    expect(text).not.toContain('isActive');
  });

  it('is stable: the same edge always gets the same cursor', () => {
    expect(encodeCursor(connectionScope('acme', 'users', { b: 1, a: 2 }), 3)).toBe(
      encodeCursor(connectionScope('acme', 'users', { a: 2, b: 1 }), 3),
    );
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses to encode offset %d', (offset) => {
    expect(() => encodeCursor(scope, offset)).toThrow(RangeError);
  });

  it.each([
    ['the empty string', ''],
    ['not base64url', 'abc!'],
    ['random base64url', 'abcdef'],
    ['a padded cursor', `${encodeCursor(scope, 1)}=`],
    ['a global id', encode('hd1:freshchat:FreshchatUser:acme:1')],
    ['another version', encode(`c2:${hashOf(scope)}:1`)],
    ['a short hash', encode('c1:abc:1')],
    ['a negative offset', encode(`c1:${hashOf(scope)}:-1`)],
    ['a leading zero', encode(`c1:${hashOf(scope)}:01`)],
    ['a fractional offset', encode(`c1:${hashOf(scope)}:1.5`)],
    ['an exponent', encode(`c1:${hashOf(scope)}:1e3`)],
    ['an unsafe integer', encode(`c1:${hashOf(scope)}:9007199254740993`)],
    ['a missing offset', encode(`c1:${hashOf(scope)}:`)],
    ['trailing data', encode(`c1:${hashOf(scope)}:1:2`)],
    ['an overlong cursor', encode(`c1:${hashOf(scope)}:${'1'.repeat(200)}`)],
  ])('rejects %s as BAD_USER_INPUT', (_name, cursor) => {
    const error = errorOf(() => decodeCursor(cursor, scope, MAX));
    expect(error.message).toBe('`after` is not a valid cursor.');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('names the argument it was given', () => {
    expect(errorOf(() => decodeCursor('nope!', scope, MAX, 'before')).message).toBe('`before` is not a valid cursor.');
  });

  it.each([
    ['another filter', connectionScope('acme', 'ticketingUsers', { isActive: false })],
    ['no filter', connectionScope('acme', 'ticketingUsers')],
    ['another connection', connectionScope('acme', 'users', { isActive: true })],
    ['another account', connectionScope('other', 'ticketingUsers', { isActive: true })],
  ])('rejects a cursor from %s', (_name, otherScope) => {
    const error = errorOf(() => decodeCursor(encodeCursor(otherScope, 3), scope, MAX, 'before'));
    expect(error.message).toBe('`before` cursor belongs to another connection or filter.');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'before' });
  });
});

describe('connectionScope', () => {
  it('names account, connection and canonical filter', () => {
    expect(connectionScope('acct', 'ticketingUsers', { isActive: true })).toBe('acct:ticketingUsers:{"isActive":true}');
  });

  it.each([
    ['key order', { a: 1, b: 'x' }, { b: 'x', a: 1 }],
    ['null values', { a: 1, b: null }, { a: 1 }],
    ['undefined values', { a: 1, b: undefined }, { a: 1 }],
    ['nested key order', { a: { y: 1, x: 2 } }, { a: { x: 2, y: 1 } }],
    ['an empty filter and none', {}, undefined],
    ['an all-null filter and none', { email: null }, undefined],
    ['a Date and its ISO string', { after: new Date('2024-01-02T03:04:05Z') }, { after: '2024-01-02T03:04:05.000Z' }],
  ])('ignores %s', (_name, left, right) => {
    expect(connectionScope('acme', 'users', left)).toBe(connectionScope('acme', 'users', right));
  });

  it.each([
    ['values', { isActive: true }, { isActive: false }],
    ['types', { groupId: 1 }, { groupId: '1' }],
    ['keys', { email: 'a@b.c' }, { externalId: 'a@b.c' }],
    ['array order', { ids: [1, 2] }, { ids: [2, 1] }],
  ])('distinguishes filters by %s', (_name, left, right) => {
    expect(connectionScope('acme', 'users', left)).not.toBe(connectionScope('acme', 'users', right));
  });
});
