import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample, startSubgraph, type Running } from './server.js';

const AGENTS = '{ freshchat { ticketingUsers(first: 2) { totalCount nodes { name role { name } } } } }';

describe('GET /metrics after real queries', () => {
  let s: Running;
  let text: string;
  beforeAll(async () => {
    s = await startSubgraph({ FRESHCHAT_BREAKER_FAILURES: '1', UPSTREAM_RETRY_BASE_MS: '1', UPSTREAM_RETRY_MAX_MS: '5' });
    const sandbox = s.subgraph.sandbox!;
    await s.post({ query: AGENTS });
    await s.post({ query: AGENTS }); // roles catalog from the cache
    sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 0 }, match: '/v2/agents', times: 1 });
    await s.post({ query: AGENTS });
    await s.post({ query: 'mutation { nothing }' });
    sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/groups' });
    await s.post({ query: '{ freshchat { groups(first: 1) { totalCount } } }' });
    await s.post({ query: '{ freshchat { groups(first: 1) { totalCount } } }' });
    const res = await fetch(`${s.base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    text = await res.text();
  });
  afterAll(() => s.close());

  it.each([
    ['upstream requests by family and status', 'freshchat_upstream_requests_total{family="agents",status="200"}'],
    ['a Freshchat 429', 'freshchat_upstream_requests_total{family="agents",status="429"}'],
    ['upstream latency histogram', 'freshchat_upstream_request_duration_seconds_count{family="agents"}'],
    ['retries', 'freshchat_upstream_retries_total{family="agents"}'],
    ['429s from Freshchat', 'freshchat_upstream_rate_limited_total{family="agents"}'],
    ['quota waits', 'freshchat_quota_wait_seconds_count{family="agents"}'],
    ['refusals by an open circuit', 'freshchat_upstream_refused_total{family="groups",reason="circuit_open"}'],
    ['graphql requests that succeeded', 'graphql_requests_total{operation_type="query",outcome="ok"}'],
    ['graphql requests rejected before execution', 'graphql_requests_total{operation_type="unknown",outcome="rejected"}'],
    ['graphql latency', 'graphql_request_duration_seconds_count{operation_type="query"}'],
    ['catalog cache hits', 'freshchat_cache_lookups_total{cache="roles",result="hit"}'],
    ['catalog cache misses', 'freshchat_cache_lookups_total{cache="roles",result="miss"}'],
    ['process metrics', 'process_cpu_user_seconds_total'],
  ])('counts %s', (_what, series) => {
    expect(sample(text, series)).toBeGreaterThan(0);
  });

  it('counts graphql requests that failed upstream (error, or partial once fields are nullable)', () => {
    const failed = ['error', 'partial'].map((outcome) => sample(text, `graphql_requests_total{operation_type="query",outcome="${outcome}"}`) ?? 0);
    expect(failed[0]! + failed[1]!).toBeGreaterThan(0);
  });

  it('shows an open circuit as breaker state 2', () => {
    expect(sample(text, 'freshchat_circuit_breaker_state{account="sandbox",family="groups"}')).toBe(2);
  });
});

describe('METRICS_ENABLED=false', () => {
  it('serves no /metrics', async () => {
    const s = await startSubgraph({ METRICS_ENABLED: 'false' });
    try {
      const res = await fetch(`${s.base}/metrics`);
      expect(res.status).toBe(404);
    } finally {
      await s.close();
    }
  });
});
