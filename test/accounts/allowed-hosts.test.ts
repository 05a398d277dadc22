import { createAccountTransports } from '../../src/freshchat/account-transport.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostPolicy, parseAllowedHosts, type HostPolicy } from '../../src/accounts/allowed-hosts.js';
import { createValidator } from '../../src/accounts/validate.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createDispatcher } from '../../src/freshchat/http.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

function policyOf(allowedHosts: string): HostPolicy {
  const parsed = parseAllowedHosts(allowedHosts);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return createHostPolicy(parsed.patterns);
}

const freshchat = policyOf('*.freshchat.com');
const normalized = (input: string, policy = freshchat) => {
  const result = policy.normalize(input);
  return result.ok ? result.apiUrl : `rejected: ${result.reason}`;
};

describe('an apiUrl under the default FRESHCHAT_ALLOWED_HOSTS', () => {
  it.each([
    ['https://acme.freshchat.com/v2', 'https://acme.freshchat.com/v2'],
    ['https://acme.freshchat.com', 'https://acme.freshchat.com/v2'],
    ['https://acme.freshchat.com/', 'https://acme.freshchat.com/v2'],
    ['acme.freshchat.com', 'https://acme.freshchat.com/v2'],
    ['https://api.eu.freshchat.com/v2/', 'https://api.eu.freshchat.com/v2'],
    ['HTTPS://ACME.FreshChat.COM/V2', 'https://acme.freshchat.com/v2'],
    ['https://acme.freshchat.com./v2', 'https://acme.freshchat.com/v2'],
    ['https://acme%2Efreshchat.com', 'https://acme.freshchat.com/v2'],
    ['  acme.freshchat.com  ', 'https://acme.freshchat.com/v2'],
  ])('accepts %s as %s', (input, apiUrl) => {
    expect(normalized(input)).toBe(apiUrl);
  });

  it.each([
    ['loopback', 'https://127.0.0.1/v2'],
    ['localhost', 'http://localhost:4001/v2'],
    ['IPv4 in decimal', 'https://2130706433/v2'],
    ['IPv4 in octal', 'https://0177.0.0.1/v2'],
    ['IPv4 in hex', 'https://0x7f.0.0.1/v2'],
    ['IPv4 shortened', 'https://127.1/v2'],
    ['IPv6 loopback', 'https://[::1]/v2'],
    ['IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]/v2'],
    ['a private range (10/8)', 'https://10.0.0.5/v2'],
    ['a private range (192.168/16)', 'https://192.168.1.1/v2'],
    ['a private range (172.16/12)', 'https://172.16.0.1/v2'],
    ['link-local metadata', 'http://169.254.169.254/latest/meta-data'],
    ['the bare parent domain', 'https://freshchat.com/v2'],
    ['a look-alike suffix', 'https://evilfreshchat.com/v2'],
    ['an allowed name inside another host', 'https://acme.freshchat.com.evil.com/v2'],
    ['userinfo pointing elsewhere', 'https://acme.freshchat.com@evil.com/v2'],
    ['userinfo in front of an allowed host', 'https://evil.com@acme.freshchat.com/v2'],
    ['a backslash trick', 'https://evil.com\\@acme.freshchat.com/v2'],
    ['a percent-encoded loopback', 'https://%31%32%37.0.0.1/v2'],
    ['http to a wildcard host', 'http://acme.freshchat.com/v2'],
    ['a non-default port on a wildcard host', 'https://acme.freshchat.com:8443/v2'],
    ['an empty label', 'https://a..freshchat.com/v2'],
    ['a wildcard as a host', 'https://*.freshchat.com/v2'],
    ['an underscore in a label', 'https://a_b.freshchat.com/v2'],
    ['another path', 'https://acme.freshchat.com/v1'],
    ['a query', 'https://acme.freshchat.com/v2?x=1'],
    ['a fragment', 'https://acme.freshchat.com/v2#x'],
    ['another scheme', 'file:///etc/passwd'],
    ['garbage', 'https://'],
  ])('rejects %s (%s)', (_case, input) => {
    expect(normalized(input)).toMatch(/^rejected: /);
  });
});

describe('hosts listed exactly', () => {
  const local = policyOf('*.freshchat.com, 127.0.0.1:4010, freshchat.example.org');

  it('allow http on the port they name, for a local emulator', () => {
    expect(normalized('http://127.0.0.1:4010/v2', local)).toBe('http://127.0.0.1:4010/v2');
  });

  it('match every spelling of the listed address', () => {
    expect(normalized('http://2130706433:4010', local)).toBe('http://127.0.0.1:4010/v2');
  });

  it('do not allow their subdomains', () => {
    expect(normalized('https://x.freshchat.example.org/v2', local)).toMatch(/^rejected/);
  });

  it('leave other loopback addresses out', () => {
    expect(normalized('http://127.0.0.2:4010/v2', local)).toMatch(/^rejected/);
    expect(normalized('http://[::1]:4010/v2', local)).toMatch(/^rejected/);
  });
});

describe('ports', () => {
  const local = policyOf('*.freshchat.com, 127.0.0.1:4010, freshchat.example.org, *.example.net:8443, [::1]:9000');

  it.each([
    ['a host:port entry, another port', 'http://127.0.0.1:4011/v2'],
    ['a host:port entry, the default port', 'https://127.0.0.1/v2'],
    ['a plain entry, a port of its own', 'https://freshchat.example.org:8443/v2'],
    ['a plain entry, http on 443', 'http://freshchat.example.org:443/v2'],
    ['a wildcard, another port than its own', 'https://a.example.net/v2'],
    ['an IPv6 entry, another port', 'http://[::1]:9001/v2'],
  ])('are refused as unreachable when not listed: %s', (_case, input) => {
    expect(local.normalize(input)).toMatchObject({ ok: false, unreachable: true });
  });

  it.each([
    ['a plain entry on the scheme default port, spelled out', 'https://freshchat.example.org:443/v2', 'https://freshchat.example.org/v2'],
    ['a plain entry over http on port 80', 'http://freshchat.example.org/v2', 'http://freshchat.example.org/v2'],
    ['a wildcard with its port', 'https://a.example.net:8443/v2', 'https://a.example.net:8443/v2'],
    ['an IPv6 entry with its port', 'http://[::1]:9000', 'http://[::1]:9000/v2'],
  ])('are allowed when listed: %s', (_case, input, apiUrl) => {
    expect(normalized(input, local)).toBe(apiUrl);
  });
});

describe('FRESHCHAT_ALLOWED_HOSTS entries', () => {
  it.each([
    ['*.freshchat.com', [{ host: 'freshchat.com', wildcard: true, port: undefined }]],
    ['127.1', [{ host: '127.0.0.1', wildcard: false, port: undefined }]],
    [' API.EU.Freshchat.com , 127.0.0.1:4010,', [
      { host: 'api.eu.freshchat.com', wildcard: false, port: undefined },
      { host: '127.0.0.1', wildcard: false, port: 4010 },
    ]],
    ['[::1]:8080', [{ host: '[::1]', wildcard: false, port: 8080 }]],
    ['*.example.net:8443', [{ host: 'example.net', wildcard: true, port: 8443 }]],
  ])('accepts %j', (value, patterns) => {
    expect(parseAllowedHosts(value)).toEqual({ ok: true, patterns });
  });

  it.each([
    ['an empty label', 'a..freshchat.com'],
    ['a wildcard inside a host', 'x.*.freshchat.com'],
    ['a bare wildcard', '*'],
    ['a wildcard over a top-level domain', '*.com'],
    ['a wildcard over an address', '*.127.0.0.1'],
    ['a scheme', 'https://acme.freshchat.com'],
    ['a path', 'acme.freshchat.com/v2'],
    ['user information', 'user@acme.freshchat.com'],
    ['port 0', 'acme.freshchat.com:0'],
    ['a port past 65535', 'acme.freshchat.com:70000'],
    ['a port that is not a number', 'acme.freshchat.com:https'],
    ['an underscore', 'a_b.freshchat.com'],
    ['an unclosed IPv6 literal', '[::1'],
    ['nothing at all', ' , '],
  ])('refuses %s (%j), naming the variable and the entry', (_case, value) => {
    const parsed = parseAllowedHosts(value);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems).toEqual([expect.stringMatching(/^FRESHCHAT_ALLOWED_HOSTS /)]);
  });

  it('stops the start with one line per bad entry', () => {
    const error = (() => {
      try {
        loadConfig({ FRESHCHAT_ALLOWED_HOSTS: '*.freshchat.com,a..freshchat.com,127.0.0.1:99999' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'FRESHCHAT_ALLOWED_HOSTS entry "a..freshchat.com" is not a host name or IP address',
      'FRESHCHAT_ALLOWED_HOSTS entry "127.0.0.1:99999" has a port outside 1-65535',
    ]);
  });
});

describe('validating a token against Freshchat', () => {
  const dispatcher = createDispatcher(loadConfig({}).upstream);
  let sandbox: Sandbox;
  let redirector: Server;
  let target: Server;
  let targetHits = 0;

  beforeAll(async () => {
    sandbox = await startSandbox();
    target = createServer((_req, res) => {
      targetHits += 1;
      res.end('{}');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetPort = (target.address() as AddressInfo).port;
    redirector = createServer((req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${targetPort}${req.url}` }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await sandbox.close();
    redirector.close();
    target.close();
    await dispatcher.close();
  });

  const validate = createValidator(createAccountTransports({ dispatcher, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } }), 5_000);

  it('accepts the token Freshchat accepts', async () => {
    expect(await validate(sandbox.baseUrl, sandbox.token)).toEqual({ ok: true });
  });

  it('reports a rejected token as UNAUTHENTICATED', async () => {
    expect(await validate(sandbox.baseUrl, 'wrong-token')).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });

  it('does not follow a redirect, so an allowed host cannot point the check elsewhere', async () => {
    const { port } = redirector.address() as AddressInfo;
    expect(await validate(`http://127.0.0.1:${port}/v2`, sandbox.token)).toMatchObject({ ok: false, code: 'UPSTREAM_UNAVAILABLE' });
    expect(targetHits).toBe(0);
  });
});
