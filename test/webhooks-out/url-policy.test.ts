import { describe, expect, it } from 'vitest';
import { createUrlPolicy, isPublicAddress, type Resolve } from '../../src/webhooks-out/url-policy.js';

// Names resolve from this table only: no test depends on the machine's DNS.
const DNS: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34'],
  'inside.example.com': ['10.0.0.7'],
  'both.example.com': ['93.184.216.34', '127.0.0.1'],
  'v6.example.com': ['2606:4700::1111'],
};
const resolve: Resolve = async (hostname) => {
  const addresses = DNS[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

const policy = (allowedHosts?: string, production = false) => createUrlPolicy({ allowedHosts, production, resolve });

describe('endpoint URLs without WEBHOOK_ALLOWED_HOSTS (public hosts only)', () => {
  it.each([
    ['https://hooks.example.com/freshchat', 'https://hooks.example.com/freshchat'],
    ['https://hooks.example.com:8443/in?source=freshchat', 'https://hooks.example.com:8443/in?source=freshchat'],
    ['  https://HOOKS.example.com  ', 'https://hooks.example.com/'],
    ['http://hooks.example.com/dev', 'http://hooks.example.com/dev'],
    ['https://93.184.216.34/hook', 'https://93.184.216.34/hook'],
    ['https://[2606:4700::1111]/hook', 'https://[2606:4700::1111]/hook'],
    ['https://v6.example.com/hook', 'https://v6.example.com/hook'],
    // A name that does not resolve now is judged again at every connection.
    ['https://not-yet.example.com/hook', 'https://not-yet.example.com/hook'],
  ])('accepts %s as %s', async (input, stored) => {
    expect(await policy().check(input)).toEqual({ ok: true, url: stored });
  });

  it.each([
    ['http://127.0.0.1:4001/hook', 'not a public address'],
    ['http://2130706433/hook', 'not a public address'], // 127.0.0.1 in decimal
    ['http://0x7f.1/hook', 'not a public address'], // and in hex, shortened
    ['http://0177.0.0.1/hook', 'not a public address'], // and in octal
    ['http://localhost:4001/hook', 'not a public address'],
    ['http://api.localhost/hook', 'not a public address'],
    ['http://[::1]/hook', 'not a public address'],
    ['http://[::ffff:127.0.0.1]/hook', 'not a public address'],
    ['http://[64:ff9b::7f00:1]/hook', 'not a public address'], // NAT64 of 127.0.0.1
    ['http://169.254.169.254/latest/meta-data', 'not a public address'], // cloud metadata
    ['http://10.1.2.3/hook', 'not a public address'],
    ['http://192.168.0.10/hook', 'not a public address'],
    ['http://172.16.5.4/hook', 'not a public address'],
    ['http://100.64.0.1/hook', 'not a public address'],
    ['http://0.0.0.0/hook', 'not a public address'],
    ['http://[fd00::1]/hook', 'not a public address'],
    ['http://[fe80::1]/hook', 'not a public address'],
    ['https://inside.example.com/hook', 'resolves to 10.0.0.7'],
    ['https://both.example.com/hook', 'resolves to 127.0.0.1'],
    ['ftp://hooks.example.com/hook', 'absolute http(s) URL'],
    ['hooks.example.com/hook', 'absolute http(s) URL'],
    ['https://user:pass@hooks.example.com/hook', 'user name or password'],
    ['https://hooks.example.com/hook#frag', 'fragment'],
    [`https://hooks.example.com/${'a'.repeat(2_100)}`, 'at most 2048'],
  ])('refuses %s (%s)', async (input, reason) => {
    const result = await policy().check(input);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('refuses http in production, and keeps https', async () => {
    expect(await policy(undefined, true).check('http://hooks.example.com/hook')).toEqual({ ok: false, reason: expect.stringContaining('must use https') });
    expect(await policy(undefined, true).check('https://hooks.example.com/hook')).toMatchObject({ ok: true });
  });

  it('accepts a name whose resolution takes longer than the bound (the connection decides)', async () => {
    const slow = createUrlPolicy({ allowedHosts: undefined, production: false, resolve: () => new Promise(() => undefined), resolveTimeoutMs: 10 });
    expect(await slow.check('https://slow.example.com/hook')).toMatchObject({ ok: true });
  });

  it('asks every connection for public addresses', () => {
    expect(policy().needsPublicAddress('hooks.example.com')).toBe(true);
  });
});

describe('endpoint URLs with WEBHOOK_ALLOWED_HOSTS', () => {
  const listed = policy('127.0.0.1,receiver.internal,*.hooks.example.org', true);

  it('accepts a host listed exactly over http, even a loopback one, even in production', async () => {
    expect(await listed.check('http://127.0.0.1:9000/hook')).toEqual({ ok: true, url: 'http://127.0.0.1:9000/hook' });
    expect(await listed.check('http://receiver.internal/hook')).toMatchObject({ ok: true });
    expect(listed.needsPublicAddress('receiver.internal')).toBe(false);
  });

  it('accepts a wildcard match over https only, and still wants public addresses for it', async () => {
    expect(await listed.check('https://a.hooks.example.org/hook')).toMatchObject({ ok: true });
    expect(await listed.check('http://a.hooks.example.org/hook')).toEqual({ ok: false, reason: expect.stringContaining('must use https') });
    expect(listed.needsPublicAddress('a.hooks.example.org')).toBe(true);
  });

  it('refuses every host it does not list, public or not', async () => {
    expect(await listed.check('https://hooks.example.com/hook')).toEqual({ ok: false, reason: expect.stringContaining('WEBHOOK_ALLOWED_HOSTS') });
    expect(await listed.check('http://127.0.0.2/hook')).toEqual({ ok: false, reason: expect.stringContaining('WEBHOOK_ALLOWED_HOSTS') });
  });

  it('judges a stored URL again when the settings change', () => {
    expect(listed.refusal(new URL('https://hooks.example.com/hook'))).toContain('not allowed');
    expect(policy().refusal(new URL('http://127.0.0.1:9000/hook'))).toContain('not a public address');
  });
});

describe('isPublicAddress', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:4700::1111', true],
    ['::ffff:8.8.8.8', true],
    ['127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['2002:7f00:1::', false], // 6to4 of 127.0.0.1
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['192.0.2.1', false],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
