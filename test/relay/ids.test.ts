import { describe, expect, it } from 'vitest';
import { decodeOwnId, fromGlobalId, toGlobalId, type GlobalId } from '../../src/relay/ids.js';

const encode = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const agent = (remoteId: string, accountId = 'acme'): GlobalId => ({
  provider: 'freshchat',
  typename: 'FreshchatTicketingUser',
  accountId,
  remoteId,
});

/** The first id whose encoding contains `char`, found by growing the remote id. */
function idContaining(char: string): string {
  for (let i = 0; i < 64; i++) {
    const id = toGlobalId(agent(`${'x'.repeat(i)}???~~~`));
    if (id.includes(char)) return id;
  }
  throw new Error(`no id with ${char}`);
}

/** Same bytes, other spelling: sets unused low bits of the last character (only when there are some). */
function withStrayBits(id: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(id.at(-1) ?? 'A');
  return id.slice(0, -1) + (alphabet[last | 1] ?? '');
}

describe('toGlobalId / fromGlobalId', () => {
  it('encodes the documented format, base64url without padding', () => {
    const id = toGlobalId(agent('42'));
    expect(id).toBe('aGQxOmZyZXNoY2hhdDpGcmVzaGNoYXRUaWNrZXRpbmdVc2VyOmFjbWU6NDI');
    expect(Buffer.from(id, 'base64url').toString()).toBe('hd1:freshchat:FreshchatTicketingUser:acme:42');
  });

  it.each([
    ['a numeric id', agent('42')],
    ['a remote id with colons', agent('a:b::c:')],
    ['a remote id that is only a colon', agent(':')],
    ['a unicode remote id', agent('Zoë 😀 ünïcode')],
    ['a role name as remote id', { ...agent('ACCOUNT_ADMIN'), typename: 'FreshchatRole' }],
    ['an alias-like remote id', agent('Denise_aliasc26ddeed24ad9e8b19a68eb119d6e37c')],
    ['a UUID remote id', agent('8f0c6f2e-7b1c-4e0e-9a59-2f4b5f7f2d11')],
    ['spaces and slashes', agent(' a/b+c= ')],
    ['an account id with dots, dashes and underscores', agent('1', 'eu.acme-corp_2')],
    ['a 64-character account id', agent('1', 'a'.repeat(64))],
    ['another provider', { provider: 'help-scout', typename: 'HelpScoutUser', accountId: 'x', remoteId: '7' }],
  ])('round-trips %s', (_name, parts) => {
    const id = toGlobalId(parts);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromGlobalId(id)).toEqual(parts);
  });

  it('gives different ids for different accounts, types and remote ids', () => {
    const parts = [agent('1'), agent('1', 'other'), agent('2'), { ...agent('1'), typename: 'FreshchatUser' }];
    const ids = parts.map(toGlobalId);
    expect(new Set(ids).size).toBe(4);
  });

  it.each([
    ['the empty string', ''],
    ['not base64url', 'not an id!'],
    ['base64 with whitespace', ` ${toGlobalId(agent('1'))}`],
    ['a padded encoding', `${encode('hd1:freshchat:FreshchatUser:acme:1')}=`],
    ['a padded encoding of a length-2 tail', `${encode('hd1:freshchat:FreshchatUser:acme:12')}==`],
    ['standard base64 `+` for `-`', idContaining('-').replaceAll('-', '+')],
    ['standard base64 `/` for `_`', idContaining('_').replaceAll('_', '/')],
    ['stray bits in the last character', withStrayBits(toGlobalId(agent('1')))],
    ['invalid UTF-8', Buffer.from([0x68, 0x64, 0x31, 0x3a, 0xff, 0xfe]).toString('base64url')],
    ['another version', encode('hd2:freshchat:FreshchatUser:acme:1')],
    ['no version', encode('freshchat:FreshchatUser:acme:1')],
    ['a bare remote id', encode('42')],
    ['too few segments', encode('hd1:freshchat:FreshchatUser:acme')],
    ['an empty remote id', encode('hd1:freshchat:FreshchatUser:acme:')],
    ['an empty provider', encode('hd1::FreshchatUser:acme:1')],
    ['an empty typename', encode('hd1:freshchat::acme:1')],
    ['an empty account id', encode('hd1:freshchat:FreshchatUser::1')],
    ['an upper-case provider', encode('hd1:Freshchat:FreshchatUser:acme:1')],
    ['a typename that is not a GraphQL name', encode('hd1:freshchat:Freshchat-User:acme:1')],
    ['an account id with a space', encode('hd1:freshchat:FreshchatUser:ac me:1')],
    ['an account id with a slash', encode('hd1:freshchat:FreshchatUser:ac/me:1')],
    ['a 65-character account id', encode(`hd1:freshchat:FreshchatUser:${'a'.repeat(65)}:1`)],
    ['an id over 1024 characters', encode(`hd1:freshchat:FreshchatUser:acme:${'x'.repeat(800)}`)],
  ])('rejects %s', (_name, id) => {
    expect(fromGlobalId(id)).toBeNull();
  });

  it('accepts ids up to 1024 characters', () => {
    const id = toGlobalId(agent('x'.repeat(700)));
    expect(id.length).toBeLessThanOrEqual(1024);
    expect(fromGlobalId(id)?.remoteId).toBe('x'.repeat(700));
  });

  it.each([
    ['an empty remote id', agent('')],
    ['an invalid account id', agent('1', 'ac:me')],
    ['a provider with a colon', { ...agent('1'), provider: 'fresh:chat' }],
    ['a typename with a colon', { ...agent('1'), typename: 'A:B' }],
    ['a lone surrogate', agent('\uD800')],
    ['an id that would exceed 1024 characters', agent('x'.repeat(800))],
  ])('refuses to mint an id from %s', (_name, parts) => {
    expect(() => toGlobalId(parts)).toThrow(/toGlobalId/);
  });
});

describe('decodeOwnId', () => {
  const expectAgent = { provider: 'freshchat', accountId: 'acme', typenames: ['FreshchatTicketingUser'] } as const;

  it('decodes an id of this provider, account and type', () => {
    expect(decodeOwnId(toGlobalId(agent('a:1')), expectAgent)).toEqual(agent('a:1'));
  });

  it('accepts any of several typenames (node lookups)', () => {
    const role = { ...agent('ACCOUNT_ADMIN'), typename: 'FreshchatRole' };
    const expect2 = { ...expectAgent, typenames: ['FreshchatTicketingUser', 'FreshchatRole'] };
    expect(decodeOwnId(toGlobalId(role), expect2)).toEqual(role);
  });

  it.each([
    ['a foreign provider', toGlobalId({ ...agent('1'), provider: 'zendesk' })],
    ['another account', toGlobalId(agent('1', 'other'))],
    ['an account differing only in case', toGlobalId(agent('1', 'ACME'))],
    ['another type', toGlobalId({ ...agent('1'), typename: 'FreshchatUser' })],
    ['a malformed id', 'garbage'],
    ['a raw remote id', '8f0c6f2e-7b1c-4e0e-9a59-2f4b5f7f2d11'],
  ])('rejects %s', (_name, id) => {
    expect(decodeOwnId(id, expectAgent)).toBeNull();
  });
});
