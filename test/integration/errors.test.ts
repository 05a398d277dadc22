import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../support/harness.js';

// docs/design.md#errors: one typed code per upstream status and fault, with no upstream body or token leaked.
const QUERY = `{ freshchat { ticketingUsers(first: 3) { totalCount nodes { name } } } }`;

describe('upstream faults as typed GraphQL errors', () => {
  let h: Harness;
  beforeAll(async () => {
    // Each case fails /v2/agents on purpose: an open circuit would answer the next cases before their
    // fault is reached (breakers have their own tests in test/resilience). The deadline ends the hang;
    // every other case answers long before it, so the code never depends on how busy the machine is.
    h = await startHarness({ env: { REQUEST_DEADLINE_MS: '3000', UPSTREAM_MAX_ATTEMPTS: '2', FRESHCHAT_BREAKER_FAILURES: '1000' } });
  });
  afterAll(() => h.close());
  afterEach(() => h.sandbox.clearFaults());

  it.each<[string, Fault, string]>([
    ['401', { kind: 'status', status: 401 }, 'UNAUTHENTICATED'],
    ['403', { kind: 'status', status: 403 }, 'FORBIDDEN'],
    // 429 has a test of its own below: its Retry-After holds the whole account, and a 429 waited out
    // until the deadline would race it (waiting out 429s is tested in test/resilience on a fake clock).
    ['500', { kind: 'status', status: 500 }, 'UPSTREAM_UNAVAILABLE'],
    ['502', { kind: 'status', status: 502 }, 'UPSTREAM_UNAVAILABLE'],
    ['503', { kind: 'status', status: 503 }, 'UPSTREAM_UNAVAILABLE'],
    ['504', { kind: 'status', status: 504 }, 'UPSTREAM_UNAVAILABLE'],
    ['an HTML page with 200', { kind: 'html' }, 'UPSTREAM_BAD_RESPONSE'],
    ['truncated JSON', { kind: 'truncated' }, 'UPSTREAM_BAD_RESPONSE'],
    ['a connection reset mid-body', { kind: 'reset' }, 'UPSTREAM_UNAVAILABLE'],
    ['a hang past the deadline', { kind: 'hang' }, 'UPSTREAM_UNAVAILABLE'],
  ])('maps %s to %s', async (_name, fault, code) => {
    h.sandbox.inject({ fault, match: '/v2/agents' });
    const res = await h.query(QUERY);
    expect(res.status).toBe(200);
    // Contract v2: only the field whose call failed is null, with its error at that field's path.
    expect(res.data).toEqual({ freshchat: { ticketingUsers: null } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['freshchat', 'ticketingUsers'], extensions: { code } });
    expect(JSON.stringify(res)).not.toContain(h.sandbox.token);
  });

  // Fails at once, with no clock read: waiting for the 30 s deadline would run past this test's
  // timeout, and a retry would show as a second call.
  it('gives retryAfter seconds on RATE_LIMITED at once when Retry-After is beyond the deadline', async () => {
    // A harness of its own: the account's quota then holds every call for the 60 s (test/resilience).
    const held = await startHarness({ env: { REQUEST_DEADLINE_MS: '30000', UPSTREAM_MAX_ATTEMPTS: '2' } });
    try {
      held.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 60 }, match: '/v2/agents' });
      const res = await held.query(QUERY);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 60 });
      expect(held.sandbox.calls.filter((call) => call.path === '/v2/agents')).toHaveLength(1);
    } finally {
      await held.close();
    }
  });

  it('retries a transient 503 and succeeds', async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/agents', times: 1 });
    const res = await h.query(QUERY);
    expect(res.errors).toBeUndefined();
    expect(res).toMatchObject({ data: { freshchat: { ticketingUsers: { totalCount: 150 } } } });
  });

  it('does not forward the upstream error message', async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 500 }, match: '/v2/agents' });
    const res = await h.query(QUERY);
    expect(res.errors![0]!.message).toBe('Freshchat is unavailable or did not answer in time.');
  });

  it('keeps the fields that did not fail when one nested load fails', async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 403 }, match: '/v2/roles' });
    const res = await h.query<{ freshchat: { ticketingUsers: { nodes: { name: string; role: unknown }[] } } }>(
      `{ freshchat { ticketingUsers(first: 2) { nodes { name role { name } } } } }`,
    );
    expect(res.data!.freshchat.ticketingUsers.nodes).toHaveLength(2);
    expect(res.data!.freshchat.ticketingUsers.nodes.every((n) => n.role === null)).toBe(true);
    expect(res.errors!.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });
});
