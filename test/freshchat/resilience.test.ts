import { errors } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { JSON_HEADERS, NOW, createHarness, failureOf, groupList, groupPage, page, settle } from './harness.js';
import type { Harness } from './harness.js';

const GROUPS = { path: '/v2/groups', query: { page: '1', items_per_page: '20' } };
const tooMany = (retryAfter: string) => ({ headers: { ...JSON_HEADERS, 'retry-after': retryAfter } });
const body429 = { code: 429, status: 'TOO_MANY_REQUESTS', message: 'slow down' };

let harness: Harness | undefined;
afterEach(async () => {
  await settle(harness);
  harness = undefined;
});

describe('retries', () => {
  it('retries a 429 after its Retry-After seconds and returns the second answer', async () => {
    harness = createHarness();
    harness.upstream.intercept(GROUPS).reply(429, body429, tooMany('2'));
    harness.upstream.intercept(GROUPS).reply(200, groupList, { headers: JSON_HEADERS });
    await expect(harness.api.listGroups(page)).resolves.toEqual(groupPage);
    expect(harness.sleeps).toEqual([2000]);
  });

  it('retries a 429 whose Retry-After is an HTTP-date, waiting until that date', async () => {
    harness = createHarness();
    harness.upstream.intercept(GROUPS).reply(429, body429, tooMany(new Date(NOW + 7000).toUTCString()));
    harness.upstream.intercept(GROUPS).reply(200, groupList, { headers: JSON_HEADERS });
    await expect(harness.api.listGroups(page)).resolves.toEqual(groupPage);
    expect(harness.sleeps).toEqual([7000]);
  });

  it('honours a Retry-After beyond 30 s when the deadline allows it', async () => {
    harness = createHarness({ deadline: NOW + 120_000 });
    harness.upstream.intercept(GROUPS).reply(429, body429, tooMany('45'));
    harness.upstream.intercept(GROUPS).reply(200, groupList, { headers: JSON_HEADERS });
    await expect(harness.api.listGroups(page)).resolves.toEqual(groupPage);
    expect(harness.sleeps).toEqual([45_000]);
  });

  it('throws RATE_LIMITED at once when Retry-After would cross the deadline', async () => {
    harness = createHarness({ deadline: NOW + 10_000 });
    harness.upstream.intercept(GROUPS).reply(429, body429, tooMany('60'));
    const started = performance.now();
    const error = await failureOf(harness.api.listGroups(page));
    expect(error).toMatchObject({ kind: 'RATE_LIMITED', status: 429, retryAfter: 60 });
    expect(harness.sleeps).toEqual([]);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('throws RATE_LIMITED with retryAfter once every attempt got 429', async () => {
    harness = createHarness();
    for (let i = 0; i < 3; i++) harness.upstream.intercept(GROUPS).reply(429, body429, tooMany('1'));
    const error = await failureOf(harness.api.listGroups(page));
    expect(error).toMatchObject({ kind: 'RATE_LIMITED', status: 429, retryAfter: 1 });
    expect(harness.sleeps).toEqual([1000, 1000]);
  });

  it('throws RATE_LIMITED without retryAfter when Freshchat gave none', async () => {
    harness = createHarness({ retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 5000 } });
    for (let i = 0; i < 2; i++) harness.upstream.intercept(GROUPS).reply(429, '');
    const error = await failureOf(harness.api.listGroups(page));
    expect(error).toMatchObject({ kind: 'RATE_LIMITED', retryAfter: undefined });
    expect(harness.sleeps).toEqual([100]); // full jitter: 0.5 × min(5000, 200 × 2^0)
  });

  it.each([502, 503, 504])('retries a %i and returns the second answer', async (status) => {
    harness = createHarness();
    harness.upstream.intercept(GROUPS).reply(status, '<html>Bad gateway</html>', { headers: { 'content-type': 'text/html' } });
    harness.upstream.intercept(GROUPS).reply(200, groupList, { headers: JSON_HEADERS });
    await expect(harness.api.listGroups(page)).resolves.toEqual(groupPage);
    expect(harness.attempts.map((a) => a.status)).toEqual([status, 200]);
  });

  it('waits out the Retry-After of a 503', async () => {
    harness = createHarness();
    harness.upstream.intercept(GROUPS).reply(503, '', { headers: { 'retry-after': '2' } });
    harness.upstream.intercept(GROUPS).reply(200, groupList, { headers: JSON_HEADERS });
    await expect(harness.api.listGroups(page)).resolves.toEqual(groupPage);
    expect(harness.sleeps).toEqual([2000]);
  });

  it('throws UNAVAILABLE on 500 without retrying', async () => {
    harness = createHarness();
    harness.upstream.intercept(GROUPS).reply(500, { code: 500, status: 'INTERNAL_ERROR', message: 'x' }, { headers: JSON_HEADERS });
    await expect(failureOf(harness.api.listGroups(page))).resolves.toMatchObject({ kind: 'UNAVAILABLE', status: 500 });
    expect(harness.attempts).toHaveLength(1);
  });

  it('throws UNAVAILABLE when every attempt got 503, backing off with full jitter', async () => {
    harness = createHarness();
    for (let i = 0; i < 3; i++) harness.upstream.intercept(GROUPS).reply(503, '');
    await expect(failureOf(harness.api.listGroups(page))).resolves.toMatchObject({ kind: 'UNAVAILABLE', status: 503 });
    expect(harness.sleeps).toEqual([100, 200]);
  });

  it('throws UNAVAILABLE at once when the backoff would cross the deadline', async () => {
    harness = createHarness({ deadline: NOW + 50 });
    harness.upstream.intercept(GROUPS).reply(503, '');
    await expect(failureOf(harness.api.listGroups(page))).resolves.toMatchObject({ kind: 'UNAVAILABLE', status: 503 });
    expect(harness.sleeps).toEqual([]);
  });

  it('retries a connection reset and returns the second answer', async () => {
    harness = createHarness();
    harness.upstream.intercept(GROUPS).replyWithError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    harness.upstream.intercept(GROUPS).reply(200, groupList, { headers: JSON_HEADERS });
    await expect(harness.api.listGroups(page)).resolves.toEqual(groupPage);
    expect(harness.attempts[0]).toMatchObject({ status: undefined, error: 'ECONNRESET' });
  });

  // undici's header/body timers tick at ~0.5–1 s, so real timeouts are simulated with its own errors.
  it.each([
    ['a headers timeout', new errors.HeadersTimeoutError()],
    ['a body timeout', new errors.BodyTimeoutError()],
    ['a connect timeout', new errors.ConnectTimeoutError()],
    ['a socket closed by the other side', new errors.SocketError('other side closed')],
  ])('retries %s and returns the second answer', async (_, fault) => {
    harness = createHarness();
    harness.upstream.intercept(GROUPS).replyWithError(fault);
    harness.upstream.intercept(GROUPS).reply(200, groupList, { headers: JSON_HEADERS });
    await expect(harness.api.listGroups(page)).resolves.toEqual(groupPage);
    expect(harness.attempts.map((a) => a.error)).toEqual([fault.code, undefined]);
  });

  it('does not retry a fault that will not heal (DNS name not found)', async () => {
    harness = createHarness();
    harness.upstream.intercept(GROUPS).replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const error = await failureOf(harness.api.listGroups(page));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', status: undefined });
    expect(error.message).toBe('Freshchat could not be reached (ENOTFOUND)');
  });
});

describe('the request deadline', () => {
  it('ends a slow reply at the deadline with UNAVAILABLE', async () => {
    harness = createHarness({ signal: AbortSignal.timeout(40), now: Date.now });
    harness.upstream.intercept(GROUPS).reply(200, groupList, { headers: JSON_HEADERS }).delay(5_000);
    const started = performance.now();
    const error = await failureOf(harness.api.listGroups(page));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', message: 'Freshchat did not answer before the request deadline' });
    expect(performance.now() - started).toBeLessThan(500);
    expect(harness.attempts).toMatchObject([{ status: undefined, error: 'ABORTED' }]);
  });

  it('sends nothing once the deadline has passed', async () => {
    harness = createHarness({ signal: AbortSignal.abort() });
    const error = await failureOf(harness.api.listGroups(page));
    expect(error.message).toBe('Freshchat did not answer before the request deadline');
    expect(harness.attempts).toEqual([]);
  });

  it('stops waiting out a 429 when the deadline fires during the wait', async () => {
    const controller = new AbortController();
    harness = createHarness({
      signal: controller.signal,
      sleep: async () => {
        controller.abort();
        throw new Error('aborted');
      },
    });
    harness.upstream.intercept(GROUPS).reply(429, body429, tooMany('3'));
    await expect(failureOf(harness.api.listGroups(page))).resolves.toMatchObject({ kind: 'RATE_LIMITED', retryAfter: 3 });
  });
});
