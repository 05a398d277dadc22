import { describe, expect, it } from 'vitest';
import { toProxyTarget } from '../../src/proxy/path.js';

describe('toProxyTarget', () => {
  it.each([
    ['/proxy/freshchat/v2/agents', '/agents', ''],
    ['/proxy/freshchat/v2/users/abc-123?email=a%40b.com&x=1&x=2', '/users/abc-123', '?email=a%40b.com&x=1&x=2'],
    ['/proxy/freshchat/v2/users/Denise_alias:c26d%20x/conversations', '/users/Denise_alias:c26d%20x/conversations', ''],
    ['/proxy/freshchat/v2/accounts/configuration', '/accounts/configuration', ''],
  ])('forwards %s as %s with query %j', (url, path, rawQuery) => {
    expect(toProxyTarget(url)).toEqual({ ok: true, path, rawQuery, family: path.split('/')[1] });
  });

  it.each([
    ['/proxy/freshchat/v2'],
    ['/proxy/freshchat/v2/'],
    ['/proxy/freshchat/v2/users/'],
    ['/proxy/freshchat/v2/a/../b'],
    ['/proxy/freshchat/v2/a/%2E/b'],
    ['/proxy/freshchat/v2/a%2fb'],
    ['/proxy/freshchat/v2/a%00'],
    ['/proxy/freshchat/v2/a b'],
    ['/proxy/freshchat/v2/users?x=<script>'],
    ['/proxy/freshchat/V2/users'],
  ])('refuses %s', (url) => {
    expect(toProxyTarget(url).ok).toBe(false);
  });
});
