import { describe, expect, it } from 'vitest';
import { createRetryBudget, RETRY_COST, TIMEOUT_RETRY_COST } from '../../src/resilience/budget.js';
import { AGENTS_QUERY, codeOf, withHarness } from './support/harness.js';

describe('createRetryBudget', () => {
  it('charges 5 tokens per retry and 10 after a timeout, refusing what it cannot pay', () => {
    const budget = createRetryBudget(12);
    expect(budget.spend(false)).toBe(RETRY_COST);
    expect(budget.spend(true)).toBeUndefined();
    expect(budget.spend(false)).toBe(RETRY_COST);
    expect(budget.tokens).toBe(2);
    expect(createRetryBudget(10).spend(true)).toBe(TIMEOUT_RETRY_COST);
  });

  it('refunds 1 per success without retry, the retry cost after a retried success, up to capacity', () => {
    const budget = createRetryBudget(20);
    budget.spend(false);
    budget.spend(false);
    budget.refund(0);
    expect(budget.tokens).toBe(11);
    budget.refund(RETRY_COST);
    expect(budget.tokens).toBe(16);
    for (let i = 0; i < 10; i++) budget.refund(RETRY_COST);
    expect(budget.tokens).toBe(20);
  });

  it('says once that it ran dry, not at every refusal', () => {
    let told = 0;
    const budget = createRetryBudget(5, () => told++);
    budget.spend(false);
    budget.spend(false);
    budget.spend(false);
    expect(told).toBe(1);
    for (let i = 0; i < 5; i++) budget.refund(0);
    budget.spend(false);
    budget.spend(false);
    expect(told).toBe(2);
  });
});

describe.concurrent('the retry budget against the sandbox', () => {
  const options = (env: Record<string, string> = {}) => ({
    env: { FRESHCHAT_RETRY_BUDGET: '10', UPSTREAM_MAX_ATTEMPTS: '3', FRESHCHAT_BREAKER_FAILURES: '1000', ...env },
  });

  it('stops retrying once the account has spent its budget', () =>
    withHarness(options(), async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/agents' });
      const counts: number[] = [];
      for (let i = 0; i < 4; i++) {
        expect(codeOf(await h.query(AGENTS_QUERY))).toBe('UPSTREAM_UNAVAILABLE');
        counts.push(h.calls('/v2/agents').length);
      }
      // 3 attempts (two retries, 10 tokens), then one attempt each: not 3 per query.
      expect(counts).toEqual([3, 4, 5, 6]);
      expect(h.logs.map((l) => l.message)).toContain('Freshchat retry budget exhausted: failed calls are not retried until calls succeed again');
    }));

  it('earns retries back as calls succeed', () =>
    withHarness(options(), async (h) => {
      const outage = h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/agents' });
      await h.query(AGENTS_QUERY);
      outage.remove();
      for (let i = 0; i < 5; i++) expect((await h.query(AGENTS_QUERY)).errors).toBeUndefined();
      h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/agents' });
      const before = h.calls('/v2/agents').length;
      await h.query(AGENTS_QUERY);
      expect(h.calls('/v2/agents').length - before).toBe(2); // 5 tokens earned: one retry
    }));

  it('charges a retry after a timeout double', () =>
    withHarness(options({ UPSTREAM_HEADERS_TIMEOUT_MS: '200', REQUEST_DEADLINE_MS: '8000' }), async (h) => {
      h.sandbox.inject({ fault: { kind: 'hang' }, match: '/v2/agents' });
      expect(codeOf(await h.query(AGENTS_QUERY))).toBe('UPSTREAM_UNAVAILABLE');
      expect(h.calls('/v2/agents')).toHaveLength(2); // the 10-token budget paid one timeout retry, not two
    }));
});
