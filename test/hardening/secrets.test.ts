import { format, inspect } from 'node:util';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Fault } from '../../src/sandbox/index.js';
import { Secret } from '../../src/secret.js';
import { globalId } from '../support/harness.js';
import { TOKENS, startHardened, type HardenedHarness } from './harness.js';

// docs/design.md#errors: no response, log line or error ever contains an API token.
const WRONG_TOKEN = 'fc-token-a-revoked-9b2e77';
const ALL_TOKENS = [TOKENS.a, TOKENS.b, WRONG_TOKEN];

describe('Secret', () => {
  const secret = new Secret(TOKENS.a);

  it.each<[string, () => string]>([
    ['String()', () => String(secret)],
    // What the rule guards against is what this test proves harmless: a Secret in a template.
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions
    ['a template literal', () => `Bearer ${secret}`],
    ['JSON.stringify', () => JSON.stringify({ account: { token: secret } })],
    ['util.inspect', () => inspect({ token: secret }, { depth: 5, showHidden: true })],
    ['util.format %s %o %j', () => format('%s %o %j', secret, secret, { secret })],
    ['an object spread', () => JSON.stringify({ ...secret })],
  ])('prints [REDACTED] through %s', (_name, print) => {
    const printed = print();
    expect(printed).not.toContain(TOKENS.a);
    if (printed !== '{}') expect(printed).toContain('[REDACTED]');
  });

  it('yields the value only through reveal()', () => {
    expect(secret.reveal()).toBe(TOKENS.a);
  });
});

describe('log redaction', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a token field', { token: TOKENS.a }],
    ['a nested token field', { account: { token: TOKENS.a } }],
    ['an Authorization header', { headers: { authorization: `Bearer ${TOKENS.a}` } }],
    ['a request’s Authorization header', { req: { headers: { authorization: `Bearer ${TOKENS.a}` } } }],
    ['GraphQL variables', { variables: { email: 'a.person@example.com', token: TOKENS.a } }],
  ])('censors %s', (_name, fields) => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
    logger.info(fields, 'event');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(TOKENS.a);
    expect(lines[0]).not.toContain('a.person@example.com');
    expect(lines[0]).toContain('[REDACTED]');
  });
});

describe('config errors', () => {
  it.each<[string, Record<string, string>]>([
    ['a token without a URL', { FRESHCHAT_API_TOKEN: TOKENS.a }],
    ['a malformed URL next to the token', { FRESHCHAT_API_TOKEN: TOKENS.a, FRESHCHAT_API_URL: 'acme.freshchat.com' }],
    ['URL and token swapped', { FRESHCHAT_API_TOKEN: 'https://acme.freshchat.com/v2', FRESHCHAT_API_URL: TOKENS.a }],
    ['the token pasted into a limit setting', { FRESHCHAT_API_TOKEN: TOKENS.a, FRESHCHAT_API_URL: 'https://acme.freshchat.com/v2', MAX_QUERY_DEPTH: TOKENS.a }],
  ])('never quote the token: %s', (_name, env) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error) + JSON.stringify(error) + inspect(error)).not.toContain(TOKENS.a);
  });
});

/**
 * One integration run through everything a client or operator can see: successes, errors, limits,
 * upstream faults, readiness, and a server whose token Freshchat rejects. Every log line (at trace)
 * and every response body is then searched for every token.
 */
describe('an integration run', () => {
  let good: HardenedHarness;
  let revoked: HardenedHarness;
  beforeAll(async () => {
    good = await startHardened({ env: { UPSTREAM_MAX_ATTEMPTS: '2', REQUEST_DEADLINE_MS: '2000' } });
    revoked = await startHardened({ tokenA: WRONG_TOKEN });
  });
  afterAll(async () => {
    await good.close();
    await revoked.close();
  });

  it('leaves no token in any log line or response body', async () => {
    await exercise(good);
    await exerciseFaults(good);
    await exercise(revoked);
    expect(good.upstreamCalls('a') + good.upstreamCalls('b') + revoked.upstreamCalls('a')).toBeGreaterThan(20);
    expect(good.logs.length + revoked.logs.length).toBeGreaterThan(25);
    const seen = [...good.logs, ...good.bodies, ...revoked.logs, ...revoked.bodies];
    for (const token of ALL_TOKENS) expect(seen.filter((text) => text.includes(token))).toEqual([]);
    expect(seen.filter((text) => /bearer /i.test(text))).toEqual([]);
  });

  it('answers /ready with 503 and a reason when Freshchat rejects the token, and queries with UNAUTHENTICATED', async () => {
    const ready = await revoked.fetch('/ready');
    expect(ready.status).toBe(503);
    expect(ready.text).toMatch(/401/);
    const res = await revoked.query(`{ freshchat { users(first: 1) { totalCount } } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

async function exercise(h: HardenedHarness): Promise<void> {
  const { agents, groups } = h.sandboxes.a.dataset;
  const agentId = globalId('FreshchatTicketingUser', agents[0]!.id, 'a');
  await h.fetch('/health');
  await h.fetch('/ready');
  await h.query(`query Agents { freshchat { ticketingUsers(first: 5) { nodes { id name emails { address } role { name } groups { nodes { name } } remoteData } } } }`);
  await h.query(`query Contacts($email: String) { freshchat { users(first: 3, filter: { email: $email }) { nodes { id remoteData } } } }`, { email: 'x@example.com' });
  await h.query(`{ freshchat(accountId: "b") { groups { nodes { id members(first: 3) { nodes { name } } } } roles { nodes { name } } } }`);
  await h.query(`query($ids: [ID!]!) { freshchat { nodes(ids: $ids) { id } } }`, { ids: [agentId, 'garbage', globalId('FreshchatGroup', groups[0]!.id, 'a')] });
  await h.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatTicketingUser { name } } }`, { r: [{ __typename: 'FreshchatTicketingUser', id: agentId }] });
  await h.query(`{ freshchat { user(id: "not-an-id") { id } } }`);
  await h.query(`{ freshchat { acountId } }`);
  await h.query(`{ freshchat { groups(first: 500) { totalCount } } }`);
  await h.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
  await h.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(2_100_000) }) });
}

async function exerciseFaults(h: HardenedHarness): Promise<void> {
  const faults: Fault[] = [
    { kind: 'status', status: 401 },
    { kind: 'status', status: 403 },
    { kind: 'status', status: 429, retryAfter: 0 },
    { kind: 'status', status: 500 },
    { kind: 'html' },
    { kind: 'truncated' },
    { kind: 'reset' },
  ];
  for (const fault of faults) {
    h.sandboxes.a.inject({ fault, match: '/v2/' });
    await h.query(`{ freshchat { ticketingUsers(first: 2) { nodes { name role { name } } } users(first: 1) { totalCount } } }`);
    await h.fetch('/ready');
    h.sandboxes.a.clearFaults();
  }
}
