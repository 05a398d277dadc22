/**
 * 429 is backpressure, not failure (issue 14): waited out within the deadline without spending
 * attempts or retry budget; refused at once, saying when, once the wait cannot fit; and a caller
 * that leaves stops its own upstream work, but not work other requests share. On a fake clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { later, onFakeClock, useFakeClock } from './support/clock.js';
import { AGENTS_QUERY, GROUPS_QUERY, codeOf, postQuery, withHarness, type GuardedHarness, type HarnessOptions } from './support/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => void vi.useRealTimers());

/** Runs `test` against its own harness with the fake clock driving every wait of `test`. */
const onClock = <T>(options: HarnessOptions, test: (h: GuardedHarness) => Promise<T>) =>
  withHarness(options, (h) => onFakeClock(test(h), h.busy));

const timed = async <T>(run: () => Promise<T>) => {
  const started = Date.now();
  const value = await run();
  return { value, ms: Date.now() - started };
};

describe('a 429 waits, it does not fail', () => {
  it('waits out four 429s in a row even with a single attempt allowed for faults', () =>
    onClock({ env: { UPSTREAM_MAX_ATTEMPTS: '1' } }, async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 1 }, match: '/v2/agents', times: 4 });
      const { value: res, ms } = await timed(() => h.query(AGENTS_QUERY));
      expect(res.errors).toBeUndefined();
      expect(h.calls('/v2/agents').map((call) => call.status)).toEqual([429, 429, 429, 429, 200]);
      expect(ms).toBeGreaterThanOrEqual(4_000); // each Retry-After: 1 honoured
    }));

  it('keeps the attempt count for 503s: two attempts, then UPSTREAM_UNAVAILABLE', () =>
    onClock({ env: { UPSTREAM_MAX_ATTEMPTS: '2' } }, async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/agents' });
      expect(codeOf(await h.query(AGENTS_QUERY))).toBe('UPSTREAM_UNAVAILABLE');
      expect(h.calls('/v2/agents')).toHaveLength(2);
    }));

  it('spends no retry budget on 429s: with a budget of 0 they are still waited out', () =>
    onClock({ env: { FRESHCHAT_RETRY_BUDGET: '0' } }, async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 1 }, match: '/v2/agents', times: 3 });
      expect((await h.query(AGENTS_QUERY)).errors).toBeUndefined();
      expect(h.calls('/v2/agents')).toHaveLength(4);
    }));

  it('answers RATE_LIMITED with retryAfter before the deadline when every call gets 429', () =>
    onClock({ env: { REQUEST_DEADLINE_MS: '25000' } }, async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 1 }, match: '/v2/' });
      const { value: res, ms } = await timed(() => h.query(AGENTS_QUERY));
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
      expect(res.errors?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(1);
      expect(ms).toBeLessThan(25_000);
      expect(h.calls('/v2/agents').length).toBeGreaterThan(3); // more than UPSTREAM_MAX_ATTEMPTS: 429s are not attempts
      console.info(`429 on every call: RATE_LIMITED (retryAfter ${String(res.errors?.[0]?.extensions?.retryAfter)} s) after ${(ms / 1000).toFixed(1)} s, ${h.calls('/v2/agents').length} upstream calls`);
    }));

  it("holds back only the call a short 429 answered, not the account's other calls", () =>
    onClock({}, async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 2 }, match: '/v2/groups', times: 1 });
      const groups = timed(() => h.query(GROUPS_QUERY));
      await later(100); // the groups call has had its 429
      const agents = await timed(() => h.query(AGENTS_QUERY));
      const throttled = await groups;
      expect(agents.value.errors).toBeUndefined();
      expect(agents.ms).toBe(0); // not held for the groups call's 2 s
      expect(throttled.value.errors).toBeUndefined();
      expect(throttled.ms).toBeGreaterThanOrEqual(2_000); // the throttled call itself waited it out
    }));

  it('fails at once when the Retry-After cannot fit the deadline', () =>
    onClock({ env: { REQUEST_DEADLINE_MS: '10000' } }, async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 60 }, match: '/v2/agents', times: 1 });
      const { value: res, ms } = await timed(() => h.query(AGENTS_QUERY));
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 60 });
      expect(ms).toBeLessThan(500); // nothing was waited for
    }));
});

describe('an open circuit says when to come back', () => {
  it('carries retryAfter: the seconds until its probe', () =>
    onClock({ env: { FRESHCHAT_BREAKER_FAILURES: '3', FRESHCHAT_BREAKER_COOLDOWN_MS: '10000', UPSTREAM_MAX_ATTEMPTS: '1' } }, async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status: 500 }, match: '/v2/agents' });
      for (let i = 0; i < 3; i++) await h.query(AGENTS_QUERY);
      await later(4_000);
      const res = await h.query(AGENTS_QUERY);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfter: 6 });
      expect(h.calls('/v2/agents')).toHaveLength(3);
    }));
});

describe('a caller that leaves', () => {
  /** POSTs a query and disconnects after `ms` (fake clock), as a router does at its timeout. */
  const abandon = async (h: GuardedHarness, query: string, ms: number) => {
    const controller = new AbortController();
    const pending = fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      signal: controller.signal,
    }).catch(() => undefined);
    await later(ms);
    controller.abort();
    await pending;
  };

  it('cancels its waiting upstream calls, so they spend no more quota', () =>
    onClock({}, async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 3 }, match: '/v2/agents', times: 1 });
      await abandon(h, AGENTS_QUERY, 1_000);
      await later(10_000);
      expect(h.calls('/v2/agents')).toHaveLength(1); // the retry after the hold was never sent
    }));

  it('does not abort the catalog walk that another request shares', () =>
    onClock({ env: { CATALOG_CACHE_TTL_MS: '30000' } }, async (h) => {
      h.sandbox.inject({ fault: { kind: 'latency', ms: 2_000 }, match: '/v2/groups', times: 1 });
      const leaving = abandon(h, GROUPS_QUERY, 500);
      const staying = later(100).then(() => postQuery(h.url, GROUPS_QUERY));
      const [, res] = await Promise.all([leaving, staying]);
      expect(res.errors).toBeUndefined();
      expect(res.data).toMatchObject({ freshchat: { groups: { totalCount: 12 } } });
      expect(h.calls('/v2/groups')).toHaveLength(1); // one walk, finished for the one who stayed
    }));
});
