import { configuredAccount } from '../../src/account.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { Secret } from '../../src/secret.js';
import { ACCOUNT_ID, agentsQueryFor, codeOf, withHarness, type GuardedHarness } from './support/harness.js';

const acme = agentsQueryFor(ACCOUNT_ID);
const betaQuery = agentsQueryFor('beta');

/** Two linked accounts over two sandboxes: `acme` with a good token, `beta` with `betaToken`. */
async function withTwoAccounts(betaToken: string, test: (h: GuardedHarness, beta: Sandbox) => Promise<void>): Promise<void> {
  const beta = await startSandbox();
  try {
    const env = { FRESHCHAT_BREAKER_FAILURES: '3', FRESHCHAT_RETRY_BUDGET: '10', UPSTREAM_MAX_ATTEMPTS: '3', REQUEST_DEADLINE_MS: '5000' };
    const accounts = (sandbox: Sandbox) => [
      configuredAccount({ id: ACCOUNT_ID, baseUrl: sandbox.baseUrl, token: new Secret(sandbox.token) }),
      configuredAccount({ id: 'beta', baseUrl: beta.baseUrl, token: new Secret(betaToken) }),
    ];
    await withHarness({ env, accounts }, (h) => test(h, beta));
  } finally {
    await beta.close();
  }
}

describe.concurrent('per-account isolation of limits, budgets and breakers', () => {
  it('a 401 storm for one account trips nothing, for it or for another', () =>
    withTwoAccounts('revoked-token', async (h, beta) => {
      const storm = await Promise.all(Array.from({ length: 10 }, () => h.query(betaQuery)));
      expect(storm.map(codeOf)).toEqual(Array(10).fill('UNAUTHENTICATED'));
      expect(beta.calls).toHaveLength(10); // every one reached Freshchat: a 401 is not an outage
      expect((await h.query(acme)).errors).toBeUndefined();
      expect(h.calls('/v2/agents')).toHaveLength(1);
    }));

  it("one account's open circuit and empty retry budget leave another's calls and retries alone", () =>
    withTwoAccounts(DEFAULT_TOKEN, async (h, beta) => {
      beta.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/agents' });
      for (let i = 0; i < 3; i++) await h.query(betaQuery);
      const betaCalls = beta.calls.length;
      expect(codeOf(await h.query(betaQuery))).toBe('UPSTREAM_UNAVAILABLE');
      expect(beta.calls).toHaveLength(betaCalls); // beta's circuit is open

      h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/agents', times: 2 });
      expect((await h.query(acme)).errors).toBeUndefined(); // two retries: acme's budget is whole
      expect(h.calls('/v2/agents').map((c) => c.status)).toEqual([503, 503, 200]);
    }));

  it("one account's Retry-After hold does not hold another", () =>
    withTwoAccounts(DEFAULT_TOKEN, async (h, beta) => {
      beta.inject({ fault: { kind: 'status', status: 429, retryAfter: 60 }, match: '/v2/agents', times: 1 });
      expect(codeOf(await h.query(betaQuery))).toBe('RATE_LIMITED');
      expect(codeOf(await h.query(betaQuery))).toBe('RATE_LIMITED');
      expect(beta.calls).toHaveLength(1);
      expect((await h.query(acme)).errors).toBeUndefined();
    }));
});
