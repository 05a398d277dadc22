import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxInSpan, toSlices } from '../../src/resilience/slices.js';
import { AGENTS_QUERY, startGuardedHarness, type GraphQLResponse, type GuardedHarness } from './support/harness.js';
import { maxInWindow, sleep } from './support/windows.js';

// A small quota so the batch must queue: 1,220 requests per minute is spent as 20 per 1 s slice.
const PER_MINUTE = 1_220;
const slices = toSlices(PER_MINUTE);

describe('a 429 and 503 storm against a small quota', () => {
  let h: GuardedHarness;
  let responses: GraphQLResponse[];
  let startedAt: number;

  beforeAll(async () => {
    h = await startGuardedHarness({
      sandbox: { faultSeed: 42 },
      env: {
        FRESHCHAT_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
        FRESHCHAT_MAX_CONCURRENCY: '20',
        UPSTREAM_MAX_ATTEMPTS: '10',
        REQUEST_DEADLINE_MS: '20000',
      },
    });
    // 30% of calls get 429 with Retry-After: 1, and 10% of all calls 503 (rules apply in order).
    h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 1 }, match: '/v2/agents', probability: 0.3 });
    h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/agents', probability: 0.1 / 0.7 });
    startedAt = Date.now();
    // Traffic keeps arriving during the storm: one query every 20 ms, 50 in the first second.
    responses = await Promise.all(Array.from({ length: 50 }, (_, i) => sleep(i * 20).then(() => h.query(AGENTS_QUERY))));
  }, 40_000);
  afterAll(() => h.close());

  it('answers every one of 50 queries', () => {
    expect(responses.filter((res) => res.errors !== undefined)).toEqual([]);
    for (const res of responses) expect(res.data).toMatchObject({ freshchat: { ticketingUsers: { totalCount: 150 } } });
  });

  it('met both kinds of fault on the way (the storm really happened)', () => {
    const statuses = h.calls().map((call) => call.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(1);
  });

  it.each([1_000, 2_000, 5_000, 60_000])('never lets more calls reach Freshchat in any %i ms than the quota allows', (ms) => {
    const times = h.calls().map((call) => call.at);
    expect(maxInWindow(times, ms)).toBeLessThanOrEqual(maxInSpan(slices, ms));
  });

  it('sends nothing while a Retry-After holds the account', () => {
    const calls = h.calls();
    for (const held of calls.filter((call) => call.status === 429)) {
      // Calls admitted before the 429 was read may still land just after it (more so on a busy CPU).
      const during = calls.filter((call) => call.at > held.at + 300 && call.at < held.at + 950);
      expect(during.map((call) => call.at - held.at)).toEqual([]);
    }
  });

  it('reports the measured load', () => {
    const times = h.calls().map((call) => call.at);
    const seconds = (Math.max(...times) - startedAt) / 1000;
    console.info(
      `storm: ${times.length} upstream calls in ${seconds.toFixed(1)} s; peak ${maxInWindow(times, 1000)} in any 1 s ` +
        `(slice ${slices.points}/${slices.seconds}s, bound ${maxInSpan(slices, 1000)}), quota ${PER_MINUTE}/min`,
    );
    expect(times.length).toBeGreaterThan(50);
  });
});
