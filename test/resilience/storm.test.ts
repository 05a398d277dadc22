/**
 * Storms of short 429s: every upstream call independently gets 429 (Retry-After: 1) with
 * probability 0.3 or 503 with probability 0.1. A short 429 is backpressure, not a spent window: it
 * is waited out, it does not lower the account's rate, and no query may be lost to it while the
 * deadline has room; the quota must hold throughout. On a fake clock: the storm's seconds of
 * Retry-After cost milliseconds, and the quota windows are measured exactly.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toGlobalId } from '../../src/relay/ids.js';
import { maxInSpan, toSlices } from '../../src/resilience/slices.js';
import { CLOCK_START, later, onFakeClock, useFakeClock } from './support/clock.js';
import { ACCOUNT_ID, startGuardedHarness, type GraphQLResponse, type GuardedHarness } from './support/harness.js';
import { maxInWindow } from './support/windows.js';

const PER_MINUTE = 1_220; // 20 per 1 s slice: the batch must queue
const slices = toSlices(PER_MINUTE);
const DEADLINE_MS = 25_000;

const agentId = (h: GuardedHarness, i: number) =>
  toGlobalId({ provider: 'freshchat', typename: 'FreshchatTicketingUser', accountId: ACCOUNT_ID, remoteId: h.sandbox.dataset.agents[i]!.id });

/** Lists, nested group members and _entities, in turn. */
function mixedQuery(h: GuardedHarness, i: number): string {
  switch (i % 3) {
    case 0:
      return `{ freshchat { ticketingUsers(first: 3) { totalCount nodes { name } } users(first: 2) { totalCount } } }`;
    case 1:
      return `{ freshchat { groups(first: 4) { nodes { name members(first: 2) { totalCount nodes { name } } } } } }`;
    default: {
      const representations = [i, i + 1].map((n) => `{ __typename: "FreshchatTicketingUser", id: "${agentId(h, n)}" }`).join(', ');
      return `{ _entities(representations: [${representations}]) { ... on FreshchatTicketingUser { id name } } }`;
    }
  }
}

interface Timed {
  res: GraphQLResponse;
  ms: number;
}

/** The longest run of consecutive non-2xx answers in arrival order. */
function longestFaultRun(statuses: number[]): number {
  let longest = 0;
  let run = 0;
  for (const status of statuses) {
    run = status >= 400 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

describe('a 429 and 503 storm: 50 mixed queries against a 1,220/min quota', () => {
  let h: GuardedHarness;
  let results: Timed[];

  beforeAll(async () => {
    useFakeClock();
    h = await startGuardedHarness({
      sandbox: { faultSeed: 42, rateLimit: { perMinute: PER_MINUTE } },
      env: { FRESHCHAT_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE), FRESHCHAT_MAX_CONCURRENCY: '20', REQUEST_DEADLINE_MS: String(DEADLINE_MS), UPSTREAM_RETRY_BASE_MS: '200', UPSTREAM_RETRY_MAX_MS: '5000' },
    });
    h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 1 }, match: '/v2/', probability: 0.3 });
    h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/', probability: 0.1 / 0.7 });
    // Traffic keeps arriving during the storm: one query every 20 ms.
    const run = Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await later(i * 20);
        const started = Date.now();
        const res = await h.query(mixedQuery(h, i));
        return { res, ms: Date.now() - started };
      }),
    );
    results = await onFakeClock(run, h.busy);
  }, 60_000);
  afterAll(async () => {
    await h.close();
    vi.useRealTimers();
  });

  it('answers every one of the 50 queries, none lost to a 429', () => {
    // A 503 is a fault, retried within UPSTREAM_MAX_ATTEMPTS (3) and the account's retry budget: a
    // call that runs out of either fails as UPSTREAM_UNAVAILABLE by design, and which call does (if
    // any) depends on the order of the calls, not on the 429 rule. No query may be lost otherwise.
    // Each loss as its code, upstream status and message, so a failure says what lost it.
    const lost = results.flatMap(({ res }) =>
      (res.errors ?? []).map((error) => `${String(error.extensions?.code)} (${String(error.extensions?.upstreamStatus)}): ${error.message}`),
    );
    expect(lost.filter((line) => !line.startsWith('UPSTREAM_UNAVAILABLE (503)'))).toEqual([]);
    expect(lost.length).toBeLessThanOrEqual(1);
    expect(results.every(({ ms }) => ms < DEADLINE_MS)).toBe(true);
  });

  it('met both kinds of fault, in runs (the storm really happened)', () => {
    const statuses = h.calls().map((call) => call.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(5);
    expect(longestFaultRun(statuses)).toBeGreaterThanOrEqual(3);
  });

  it.each([1_000, 2_000, 5_000, 60_000])('never lets more calls reach Freshchat in any %i ms than the quota allows', (ms) => {
    expect(maxInWindow(h.calls().map((call) => call.at), ms)).toBeLessThanOrEqual(maxInSpan(slices, ms));
  });

  it("never trips the account's real rate limit (every 429 was an injected one)", () => {
    expect(h.sandbox.calls.filter((call) => call.overQuota)).toEqual([]);
  });

  it('reports the storm figures', () => {
    const calls = h.calls();
    const statuses = calls.map((call) => call.status);
    const slowest = Math.max(...results.map(({ ms }) => ms));
    const span = (Math.max(...calls.map((call) => call.at)) - CLOCK_START) / 1000;
    console.info(
      `storm: ${results.length} queries, ${calls.length} upstream calls over ${span.toFixed(1)} s (fake clock), ` +
        `${statuses.filter((s) => s === 429).length} × 429, ${statuses.filter((s) => s === 503).length} × 503, ` +
        `longest fault run ${longestFaultRun(statuses)}, slowest query ${(slowest / 1000).toFixed(1)} s, ` +
        `peak ${maxInWindow(calls.map((c) => c.at), 1_000)} calls in any 1 s (bound ${maxInSpan(slices, 1_000)})`,
    );
    expect(calls.length).toBeGreaterThan(results.length);
  });
});

/** List queries of every kind, nested members included, in turn. */
const LIST_QUERIES = [
  `{ freshchat { ticketingUsers(first: 5) { totalCount nodes { name role { name } groups(first: 2) { totalCount } } } } }`,
  `{ freshchat { groups(first: 4) { totalCount nodes { name members(first: 2) { totalCount nodes { name } } } } } }`,
  `{ freshchat { users(first: 3) { totalCount nodes { name } } } }`,
  `{ freshchat { roles(first: 3) { totalCount nodes { name members(first: 2) { totalCount } } } } }`,
];

/**
 * The storm that used to lose queries, at the default quota (90 calls a minute get through). Before
 * short 429s were told from spent windows, each three of them lowered the rate ×0.8: the run sent 91
 * calls in 139 s and lost 4 of the 20 queries to RATE_LIMITED. Seeds 1 to 20 were swept when this was written: none
 * lost a query to RATE_LIMITED; one (seed 12) lost one to three 503s in a row on one call, which the
 * outage policy (UPSTREAM_MAX_ATTEMPTS=3) answers UPSTREAM_UNAVAILABLE, as it should.
 */
describe('a short-429 storm at the default quota: two clients, 20 list queries', () => {
  const DEFAULT_PER_MINUTE = 100; // FRESHCHAT_RATE_LIMIT_PER_MINUTE's default: 3 per 2 s slice
  const CLIENTS = 2;
  const QUERIES_PER_CLIENT = 10;
  let h: GuardedHarness;
  let results: Timed[];
  let finishedAt: number;

  beforeAll(async () => {
    useFakeClock();
    // The account's real limit is the setting: the storm's 429s are all injected, short ones.
    h = await startGuardedHarness({
      sandbox: { faultSeed: 7, rateLimit: { perMinute: DEFAULT_PER_MINUTE } },
      env: { FRESHCHAT_RATE_LIMIT_PER_MINUTE: String(DEFAULT_PER_MINUTE), UPSTREAM_RETRY_BASE_MS: '200', UPSTREAM_RETRY_MAX_MS: '5000' },
    });
    h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 1 }, match: '/v2/', probability: 0.3 });
    h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/', probability: 0.1 / 0.7 });
    // Each client sends its next query when the last one is answered.
    const client = async (c: number) => {
      const timed: Timed[] = [];
      for (let i = 0; i < QUERIES_PER_CLIENT; i++) {
        const started = Date.now();
        const res = await h.query(LIST_QUERIES[(c + i) % LIST_QUERIES.length]!);
        timed.push({ res, ms: Date.now() - started });
      }
      return timed;
    };
    results = (await onFakeClock(Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c))), h.busy)).flat();
    finishedAt = Date.now();
  }, 120_000);
  afterAll(async () => {
    await h.close();
    vi.useRealTimers();
  });

  it('answers all 20 queries, none lost to a short 429', () => {
    expect(results).toHaveLength(CLIENTS * QUERIES_PER_CLIENT);
    // Each lost query as its error codes and messages, so a failure says what lost it.
    const lost = results.flatMap(({ res }) => (res.errors ?? []).map((error) => `${String(error.extensions?.code)}: ${error.message}`));
    expect(lost).toEqual([]);
  });

  it('met the storm: short 429s and 503s in the proportions injected', () => {
    const statuses = h.calls().map((call) => call.status);
    expect(statuses.filter((s) => s === 429).length / statuses.length).toBeGreaterThan(0.2);
    expect(statuses.filter((s) => s === 503).length / statuses.length).toBeGreaterThan(0.05);
  });

  it('keeps sending at the setting: short 429s do not slow the account down', () => {
    const calls = h.calls();
    const seconds = (finishedAt - CLOCK_START) / 1000;
    // The quota lets 90 a minute through (3 per 2 s); a collapsing rate would send far fewer.
    expect(calls.length / seconds).toBeGreaterThan((0.8 * maxInSpan(toSlices(DEFAULT_PER_MINUTE), 60_000)) / 60);
  });

  it("never trips the account's real rate limit", () => {
    expect(h.sandbox.calls.filter((call) => call.overQuota)).toEqual([]);
  });

  it('reports the storm figures', () => {
    const calls = h.calls();
    const statuses = calls.map((call) => call.status);
    const seconds = (finishedAt - CLOCK_START) / 1000;
    console.info(
      `short-429 storm at ${DEFAULT_PER_MINUTE}/min: ${results.length} queries from ${CLIENTS} clients, ` +
        `${results.filter(({ res }) => res.errors !== undefined).length} failed, ${calls.length} upstream calls in ${seconds.toFixed(1)} s (fake clock), ` +
        `${((calls.length / seconds) * 60).toFixed(0)} calls/min, ${statuses.filter((s) => s === 429).length} × 429, ` +
        `${statuses.filter((s) => s === 503).length} × 503, slowest query ${(Math.max(...results.map(({ ms }) => ms)) / 1000).toFixed(1)} s`,
    );

    expect(calls.length).toBeGreaterThan(results.length);
  });
});
