import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { JSON_HEADERS, NOW, TOKEN, createHarness, failureOf, page, settle } from './harness.js';
import type { Harness } from './harness.js';

const GROUPS = { path: '/v2/groups', query: { page: '1', items_per_page: '20' } };
const echo = `invalid token Bearer ${TOKEN}`;

let harness: Harness | undefined;
afterEach(async () => {
  await settle(harness);
  harness = undefined;
});

/** Each arranges one failure; several make the upstream quote the token back, as a careless proxy might. */
const scenarios: [string, (h: Harness) => void][] = [
  ['401 echoing the token', (h) => h.upstream.intercept(GROUPS).reply(401, { code: 401, status: 'UNAUTHORIZED', message: echo }, { headers: JSON_HEADERS })],
  ['403', (h) => h.upstream.intercept(GROUPS).reply(403, '')],
  ['400 echoing the token', (h) => h.upstream.intercept(GROUPS).reply(400, { code: 400, status: 'INVALID_VALUE', message: echo }, { headers: JSON_HEADERS })],
  ['500 echoing the token', (h) => h.upstream.intercept(GROUPS).reply(500, echo, { headers: { 'content-type': 'text/plain' } })],
  ['HTML 200 echoing the token', (h) => h.upstream.intercept(GROUPS).reply(200, `<html>${echo}</html>`, { headers: { 'content-type': 'text/html' } })],
  ['invalid JSON echoing the token', (h) => h.upstream.intercept(GROUPS).reply(200, `{"x": "${echo}`, { headers: JSON_HEADERS })],
  ['a wrong shape echoing the token', (h) => h.upstream.intercept(GROUPS).reply(200, { groups: echo }, { headers: JSON_HEADERS })],
  ['a 429 past the deadline', (h) => h.upstream.intercept(GROUPS).reply(429, '', { headers: { 'retry-after': '600' } })],
  [
    'a connection fault quoting the request',
    (h) => h.upstream.intercept(GROUPS).replyWithError(Object.assign(new Error(`reset while sending ${echo}`), { code: 'ECONNRESET' })),
  ],
];

describe('the API token', () => {
  it.each(scenarios)('never appears in the error after %s', async (_, arrange) => {
    harness = createHarness({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, deadline: NOW + 1000 });
    arrange(harness);
    const error = await failureOf(harness.api.listGroups(page));
    for (const rendering of [error.message, String(error), JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })]) {
      expect(rendering).not.toContain(TOKEN);
    }
  });

  it('never appears when a transport error quotes the request headers', async () => {
    harness = createHarness();
    // MockAgent's "not matched" error quotes the request headers, Authorization included.
    harness.upstream.intercept({ ...GROUPS, headers: { authorization: 'Bearer another-token' } }).reply(200, '');
    const error = await failureOf(harness.api.listGroups(page));
    expect(error.message).toBe('Freshchat could not be reached (UND_MOCK_ERR_MOCK_NOT_MATCHED)');
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    await harness.mock.close();
    harness = undefined; // its interceptor is meant to stay unused
  });

  it('never appears in the error at the deadline', async () => {
    harness = createHarness({ signal: AbortSignal.timeout(20) });
    harness.upstream.intercept(GROUPS).reply(200, {}, { headers: JSON_HEADERS }).delay(1000);
    const error = await failureOf(harness.api.listGroups(page));
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it('never appears when the account itself is logged', () => {
    harness = createHarness();
    expect(inspect(harness.client.account)).not.toContain(TOKEN);
    expect(JSON.stringify(harness.client.account)).not.toContain(TOKEN);
  });
});
