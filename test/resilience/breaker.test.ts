import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBreaker, type BreakerState } from '../../src/resilience/breaker.js';
import { later, onFakeClock, useFakeClock } from './support/clock.js';
import { AGENTS_QUERY, GROUPS_QUERY, codeOf, withHarness, type GuardedHarness } from './support/harness.js';

describe('createBreaker', () => {
  let clock = 0;
  const changes: BreakerState[] = [];
  const breaker = () => createBreaker({ threshold: 3, cooldownMs: 1_000, now: () => clock, onChange: (s) => changes.push(s) });
  beforeEach(() => {
    clock = 0;
    changes.length = 0;
  });

  it('opens after the threshold of consecutive failures and refuses calls', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.settle(b.admit()!, 'failure');
    expect(b.state).toBe('open');
    expect(b.admit()).toBeUndefined();
    expect(changes).toEqual(['open']);
  });

  it('does not open when a success breaks the run of failures', () => {
    const b = breaker();
    for (const verdict of ['failure', 'failure', 'success', 'failure', 'failure'] as const) b.settle(b.admit()!, verdict);
    expect(b.state).toBe('closed');
  });

  it('lets exactly one probe through after the cool-down, and closes when it succeeds', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.settle(b.admit()!, 'failure');
    clock = 1_000;
    expect(b.admit()).toBe('probe');
    expect(b.admit()).toBeUndefined();
    b.settle('probe', 'success');
    expect(b.state).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('re-opens for a new cool-down when the probe fails', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.settle(b.admit()!, 'failure');
    clock = 1_000;
    b.settle(b.admit()!, 'failure');
    clock = 1_999;
    expect(b.admit()).toBeUndefined();
    clock = 2_000;
    expect(b.admit()).toBe('probe');
  });

  it('tells how long until the probe while open, and a whole cool-down while the probe is out', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.settle(b.admit()!, 'failure');
    clock = 400;
    expect(b.msUntilProbe()).toBe(600);
    clock = 1_000;
    b.admit();
    expect(b.msUntilProbe()).toBe(1_000);
  });

  it('allows another probe when the first one was never sent', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.settle(b.admit()!, 'failure');
    clock = 1_000;
    b.settle(b.admit()!, 'cancelled');
    expect(b.state).toBe('half-open');
    expect(b.admit()).toBe('probe');
  });
});

// On a fake clock: the cool-downs pass in no time, and "one probe" cannot race a slow machine.
describe('circuit breaking per endpoint family against the sandbox', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => void vi.useRealTimers());
  const options = { env: { FRESHCHAT_BREAKER_FAILURES: '3', FRESHCHAT_BREAKER_COOLDOWN_MS: '1000', UPSTREAM_MAX_ATTEMPTS: '1' } };
  const onClock = (test: (h: GuardedHarness) => Promise<void>) =>
    withHarness(options, (h) => onFakeClock(test(h), h.busy));

  const openAgentsCircuit = async (h: GuardedHarness) => {
    h.sandbox.inject({ fault: { kind: 'status', status: 500 }, match: '/v2/agents' });
    for (let i = 0; i < 3; i++) expect(codeOf(await h.query(AGENTS_QUERY))).toBe('UPSTREAM_UNAVAILABLE');
  };

  it('opens after 3 failures and then makes zero upstream calls until the cool-down ends', () =>
    onClock(async (h) => {
      await openAgentsCircuit(h);
      expect(h.calls('/v2/agents')).toHaveLength(3);
      const refused = await Promise.all(Array.from({ length: 10 }, () => h.query(AGENTS_QUERY)));
      expect(refused.map(codeOf)).toEqual(Array(10).fill('UPSTREAM_UNAVAILABLE'));
      expect(refused.map((res) => res.errors?.[0]?.extensions?.retryAfter)).toEqual(Array(10).fill(1));
      expect(h.calls('/v2/agents')).toHaveLength(3);
      expect(h.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'Freshchat /agents circuit open' }));
    }));

  it('keeps other endpoint families flowing while one circuit is open', () =>
    onClock(async (h) => {
      await openAgentsCircuit(h);
      expect((await h.query(GROUPS_QUERY)).errors).toBeUndefined();
      expect(h.calls('/v2/groups')).toHaveLength(1);
    }));

  it('closes after a successful probe once the cool-down is over', () =>
    onClock(async (h) => {
      await openAgentsCircuit(h);
      h.sandbox.clearFaults();
      await later(1_000);
      expect((await h.query(AGENTS_QUERY)).errors).toBeUndefined();
      expect(h.calls('/v2/agents')).toHaveLength(4);
      const after = await Promise.all(Array.from({ length: 3 }, () => h.query(AGENTS_QUERY)));
      expect(after.every((res) => res.errors === undefined)).toBe(true);
      expect(h.calls('/v2/agents')).toHaveLength(7);
      expect(h.logs.map((l) => l.message)).toContain('Freshchat /agents circuit closed: calls flow again');
    }));

  it('sends a single probe while half-open, refusing the calls that arrive meanwhile', () =>
    onClock(async (h) => {
      await openAgentsCircuit(h);
      h.sandbox.clearFaults();
      h.sandbox.inject({ fault: { kind: 'latency', ms: 1_000 }, match: '/v2/agents', times: 1 });
      await later(1_000);
      const results = await Promise.all(Array.from({ length: 3 }, () => h.query(AGENTS_QUERY)));
      expect(results.map(codeOf).filter((code) => code === 'UPSTREAM_UNAVAILABLE')).toHaveLength(2);
      expect(results.filter((res) => res.errors === undefined)).toHaveLength(1);
      expect(h.calls('/v2/agents')).toHaveLength(4);
    }));

  it('re-opens when the probe fails, sending nothing more until the next cool-down', () =>
    onClock(async (h) => {
      await openAgentsCircuit(h);
      await later(1_000);
      expect(codeOf(await h.query(AGENTS_QUERY))).toBe('UPSTREAM_UNAVAILABLE');
      expect(codeOf(await h.query(AGENTS_QUERY))).toBe('UPSTREAM_UNAVAILABLE');
      expect(h.calls('/v2/agents')).toHaveLength(4);
    }));

  it.each([
    ['401', 401, 'UNAUTHENTICATED'],
    ['403', 403, 'FORBIDDEN'],
  ])('never opens on %s: every call still reaches Freshchat', (_name, status, code) =>
    onClock(async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status }, match: '/v2/agents', times: 6 });
      for (let i = 0; i < 6; i++) expect(codeOf(await h.query(AGENTS_QUERY))).toBe(code);
      expect((await h.query(AGENTS_QUERY)).errors).toBeUndefined();
      expect(h.calls('/v2/agents')).toHaveLength(7);
    }),
  );

  it('never opens on a run of 429s: the query waits them out and the circuit stays closed', () =>
    onClock(async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 1 }, match: '/v2/agents', times: 6 });
      expect((await h.query(AGENTS_QUERY)).errors).toBeUndefined();
      expect((await h.query(AGENTS_QUERY)).errors).toBeUndefined();
      expect(h.calls('/v2/agents').map((call) => call.status)).toEqual([429, 429, 429, 429, 429, 429, 200, 200]);
      expect(h.logs.map((l) => l.message)).not.toContain('Freshchat /agents circuit open');
    }));
});
