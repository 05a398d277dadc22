import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES, loadConfig } from '../src/config.js';
import { problemsOf } from './support/config.js';


describe('loadConfig', () => {
  it('serves the embedded sandbox when no Freshchat account is configured', () => {
    const config = loadConfig({});
    expect(config.target).toEqual({ kind: 'sandbox', accountId: 'sandbox', tenant: null, port: 0 });
    expect(config.port).toBe(4001);
    expect(config.requestDeadlineMs).toBe(25_000);
  });

  it('reads a configured account and hides its token', () => {
    const config = loadConfig({ FRESHCHAT_API_URL: 'https://acme.freshchat.com/v2/', FRESHCHAT_API_TOKEN: 'tok-123' });
    expect(config.target).toMatchObject({ kind: 'freshchat', accountId: 'default', baseUrl: 'https://acme.freshchat.com/v2' });
    expect(JSON.stringify(config)).not.toContain('tok-123');
  });

  it.each([
    [{ FRESHCHAT_API_URL: 'https://acme.freshchat.com/v2' }, 'FRESHCHAT_API_TOKEN'],
    [{ FRESHCHAT_API_TOKEN: 'tok' }, 'FRESHCHAT_API_URL'],
    [{ FRESHCHAT_API_URL: 'acme.freshchat.com', FRESHCHAT_API_TOKEN: 'tok' }, 'FRESHCHAT_API_URL'],
    [{ FRESHCHAT_API_URL: 'https://acme.freshchat.com/api', FRESHCHAT_API_TOKEN: 'tok' }, 'FRESHCHAT_API_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ FRESHCHAT_ACCOUNT_ID: 'a b' }, 'FRESHCHAT_ACCOUNT_ID'],
    [{ FRESHCHAT_ACCOUNT_ID: '..' }, 'FRESHCHAT_ACCOUNT_ID'],
    [{ FRESHCHAT_API_URL: 'https://acme.freshchat.com/v2', FRESHCHAT_API_TOKEN: 'tok\r\nX-Injected: 1' }, 'FRESHCHAT_API_TOKEN'],
    [{ FRESHCHAT_ACCOUNT_TENANT: 'x'.repeat(201) }, 'FRESHCHAT_ACCOUNT_TENANT'],
    [{ NODE_ENV: 'production', FRESHCHAT_ACCOUNT_TENANT: 'ops' }, 'FRESHCHAT_ACCOUNT_TENANT'],
    [{ REGISTRY_TIMEOUT_MS: '10' }, 'REGISTRY_TIMEOUT_MS'],
    [{ EXPOSE_ACCOUNT_IDS: 'yes' }, 'EXPOSE_ACCOUNT_IDS'],
    [{ REQUEST_DEADLINE_MS: '-5' }, 'REQUEST_DEADLINE_MS'],
    [{ ACCOUNT_CACHE_TTL_MS: '-1' }, 'ACCOUNT_CACHE_TTL_MS'],
    [{ ACCOUNT_CACHE_TTL_MS: '5s' }, 'ACCOUNT_CACHE_TTL_MS'],
  ])('rejects %o with one line naming %s', (env, variable) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(variable);
  });

  it('gives the environment account to the tenant FRESHCHAT_ACCOUNT_TENANT names, and to none by default', () => {
    const account = { FRESHCHAT_API_URL: 'https://acme.freshchat.com/v2', FRESHCHAT_API_TOKEN: 'tok' };
    expect(loadConfig({ ...account, FRESHCHAT_ACCOUNT_TENANT: 'ops' }).target).toMatchObject({ kind: 'freshchat', tenant: 'ops' });
    expect(loadConfig(account).target).toMatchObject({ kind: 'freshchat', tenant: null });
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', UPSTREAM_PAGE_SIZE: '0' })).toHaveLength(3);
  });

  it('keeps resolved linked accounts 5 s unless ACCOUNT_CACHE_TTL_MS says otherwise (0: not at all)', () => {
    expect(loadConfig({}).accounts.accountCacheTtlMs).toBe(5_000);
    expect(loadConfig({ ACCOUNT_CACHE_TTL_MS: '0' }).accounts.accountCacheTtlMs).toBe(0);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ FRESHCHAT_API_URL: '', FRESHCHAT_API_TOKEN: '' }).target.kind).toBe('sandbox');
  });
});

describe('the default Freshchat quota', () => {
  it('is conservative for a real account', () => {
    const config = loadConfig({ FRESHCHAT_API_URL: 'https://acme.freshchat.com/v2', FRESHCHAT_API_TOKEN: 't' });
    expect(config.resilience.ratePerMinute).toBe(100);
  });

  it('does not throttle the embedded sandbox, which has no quota to protect', () => {
    expect(loadConfig({}).resilience.ratePerMinute).toBe(6_000);
  });

  it('is whatever FRESHCHAT_RATE_LIMIT_PER_MINUTE says when set', () => {
    expect(loadConfig({ FRESHCHAT_RATE_LIMIT_PER_MINUTE: '250' }).resilience.ratePerMinute).toBe(250);
  });
});

describe('.env.example', () => {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const listed = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

  it.each(SETTING_NAMES)('lists %s', (name) => {
    expect(listed).toContain(name);
  });

  it('lists only settings the subgraph or its tools read', () => {
    const tools = ['SUPERGRAPH_PORT', 'NODE_ROUTER_TYPES'];
    expect([...listed].filter((name) => !SETTING_NAMES.includes(name!) && !tools.includes(name!))).toEqual([]);
  });
});
