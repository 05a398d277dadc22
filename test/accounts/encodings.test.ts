import { describe, expect, it } from 'vitest';
import { encodingsOf } from './encodings.js';

describe('the at-rest search', () => {
  const token = 'fc-abcdefghijklmnopqrstuvwxyz012345';
  const contains = (haystack: string) => encodingsOf(token).some((form) => haystack.includes(form));

  it.each([
    ['in clear', `{"t":"${token}"}`],
    ['as hex', Buffer.from(`x${token}`).toString('hex')],
    ['as base64 at any offset', Buffer.from(`a${token}`).toString('base64')],
    ['as base64 at another offset', Buffer.from(`ab${token}z`).toString('base64')],
    ['as base64url', Buffer.from(`abc${token}`).toString('base64url')],
  ])('finds a token stored %s', (_how, haystack) => {
    expect(contains(haystack)).toBe(true);
  });

  it('finds nothing in unrelated data', () => {
    expect(contains(Buffer.from('fc-something-else-entirely-0123456789').toString('base64'))).toBe(false);
  });
});
