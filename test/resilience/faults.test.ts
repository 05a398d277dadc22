import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Fault } from '../../src/sandbox/index.js';
import { onFakeClock, useFakeClock } from './support/clock.js';
import { AGENTS_QUERY, GROUPS_QUERY, codeOf, withHarness as withRealHarness, type GuardedHarness, type HarnessOptions } from './support/harness.js';

// On a fake clock: deadlines and holds are exact, whatever the machine's load.
beforeEach(() => useFakeClock());
afterEach(() => void vi.useRealTimers());

const withHarness = (options: HarnessOptions, test: (h: GuardedHarness) => Promise<void>) =>
  withRealHarness(options, (h) => onFakeClock(test(h), h.busy));

/** Fake milliseconds `run` took. */
const elapsed = async <T>(run: () => Promise<T>) => {
  const started = Date.now();
  const value = await run();
  return { value, ms: Date.now() - started };
};

describe('Retry-After longer than the request deadline', () => {
  const env = { REQUEST_DEADLINE_MS: '10000' };
  // Nothing here may wait on a timer: while a query is being answered the clock stays put, so a
  // busy machine's slow answer cannot be read as a wait (the fake clock would jump to the next timer).
  const withHarness = (options: HarnessOptions, test: (h: GuardedHarness) => Promise<void>) =>
    withRealHarness(options, (h) => onFakeClock(test(h), () => h.resilience.inFlight() > 0 || h.queriesInFlight() > 0));
  const retryAfter60: Fault = { kind: 'status', status: 429, retryAfter: 60 };

  it('fails at once with RATE_LIMITED and retryAfter instead of waiting 60 s', () =>
    withHarness({ env }, async (h) => {
      h.sandbox.inject({ fault: retryAfter60, match: '/v2/agents', times: 1 });
      const { value: res, ms } = await elapsed(() => h.query(AGENTS_QUERY));
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 60 });
      expect(ms).toBeLessThan(500); // not 60 s, nor the 10 s deadline: nothing was waited for
    }));

  it('holds every later call of the account without sending it, whatever the endpoint', () =>
    withHarness({ env }, async (h) => {
      h.sandbox.inject({ fault: retryAfter60, match: '/v2/agents', times: 1 });
      await h.query(AGENTS_QUERY);
      const sent = h.calls().length;
      const { value: results, ms } = await elapsed(() => Promise.all([h.query(AGENTS_QUERY), h.query(GROUPS_QUERY)]));
      for (const res of results) {
        expect(codeOf(res)).toBe('RATE_LIMITED');
        expect(res.errors?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(59);
      }
      expect(h.calls().length).toBe(sent);
      expect(ms).toBeLessThan(500);
    }));
});

describe('faults through the guarded client', () => {
  it('answers UPSTREAM_UNAVAILABLE by the deadline when Freshchat hangs', () =>
    withHarness({ env: { REQUEST_DEADLINE_MS: '1500' } }, async (h) => {
      h.sandbox.inject({ fault: { kind: 'hang' }, match: '/v2/agents' });
      const { value: res, ms } = await elapsed(() => h.query(AGENTS_QUERY));
      expect(codeOf(res)).toBe('UPSTREAM_UNAVAILABLE');
      expect(ms).toBeGreaterThanOrEqual(1_500);
      expect(ms).toBeLessThan(2_000);
    }));

  it.each<[string, Fault, string]>([
    ['a connection reset mid-body', { kind: 'reset' }, 'UPSTREAM_UNAVAILABLE'],
    ['truncated JSON', { kind: 'truncated' }, 'UPSTREAM_BAD_RESPONSE'],
    ['an HTML page with status 200', { kind: 'html' }, 'UPSTREAM_BAD_RESPONSE'],
  ])('turns %s into %s', (_name, fault, code) =>
    withHarness({ env: { REQUEST_DEADLINE_MS: '3000' } }, async (h) => {
      h.sandbox.inject({ fault, match: '/v2/agents' });
      const res = await h.query(AGENTS_QUERY);
      expect(res.data).toEqual({ freshchat: { ticketingUsers: null } }); // contract v2: only the failed field
      expect(codeOf(res)).toBe(code);
      expect(JSON.stringify(res)).not.toContain(h.sandbox.token);
    }),
  );

  it('opens the circuit on hangs, so the next call fails fast without reaching Freshchat', () =>
    withHarness({ env: { REQUEST_DEADLINE_MS: '2000', FRESHCHAT_BREAKER_FAILURES: '2' } }, async (h) => {
      h.sandbox.inject({ fault: { kind: 'hang' }, match: '/v2/agents' });
      await Promise.all([h.query(AGENTS_QUERY), h.query(AGENTS_QUERY)]);
      const sent = h.calls().length;
      const { value: res, ms } = await elapsed(() => h.query(AGENTS_QUERY));
      expect(codeOf(res)).toBe('UPSTREAM_UNAVAILABLE');
      expect(ms).toBeLessThan(500); // not the 2 s deadline
      expect(h.calls().length).toBe(sent);
    }));

  it('does not count HTML or truncated answers as outages (the circuit stays closed)', () =>
    withHarness({ env: { FRESHCHAT_BREAKER_FAILURES: '2' } }, async (h) => {
      h.sandbox.inject({ fault: { kind: 'html' }, match: '/v2/agents', times: 2 });
      h.sandbox.inject({ fault: { kind: 'truncated' }, match: '/v2/agents', times: 2 });
      for (let i = 0; i < 4; i++) expect(codeOf(await h.query(AGENTS_QUERY))).toBe('UPSTREAM_BAD_RESPONSE');
      expect((await h.query(AGENTS_QUERY)).errors).toBeUndefined();
    }));
});
