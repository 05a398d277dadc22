/**
 * The Prometheus series of docs/design.md#operations, on a registry of their own (not prom-client's global one), so
 * that two servers in one process (tests, `npm run supergraph`) never share or clash on counters.
 * Names follow Prometheus conventions: `_total` counters, `_seconds` histograms, base units.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  /** Every HTTP attempt sent to Freshchat; `status` is the HTTP status or the fault (ECONNREFUSED, ABORTED). */
  readonly upstreamRequests: Counter<'family' | 'status'>;
  readonly upstreamDuration: Histogram<'family'>;
  /** Attempts after the first of a call. */
  readonly upstreamRetries: Counter<'family'>;
  /** 429s sent by Freshchat itself (a local quota refusal is `upstreamRefused`). */
  readonly upstreamRateLimited: Counter<'family'>;
  /** Attempts refused before sending: `quota` (local quota or queue), `circuit_open`, `deadline`. */
  readonly upstreamRefused: Counter<'family' | 'reason'>;
  /** Time an attempt waited for a concurrency slot and a quota turn. */
  readonly quotaWait: Histogram<'family'>;
  /** 0 closed, 1 half-open, 2 open. */
  readonly breakerState: Gauge<'account' | 'family'>;
  /** `ok`, `partial` (data and errors), `error` (no data), `rejected` (parse, validation or a limit: HTTP 4xx). */
  readonly graphqlRequests: Counter<'operation_type' | 'outcome'>;
  readonly graphqlDuration: Histogram<'operation_type'>;
  /** Groups/roles catalog cache lookups. */
  readonly cacheLookups: Counter<'cache' | 'result'>;
}

// Freshchat answers in tens to hundreds of ms; the tail up to the 25 s request deadline matters.
const UPSTREAM_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25];
const WAIT_BUCKETS = [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 25];

export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    upstreamRequests: new Counter({
      name: 'freshchat_upstream_requests_total',
      help: 'HTTP attempts sent to Freshchat, by endpoint family and HTTP status (or transport fault).',
      labelNames: ['family', 'status'],
      registers,
    }),
    upstreamDuration: new Histogram({
      name: 'freshchat_upstream_request_duration_seconds',
      help: 'Duration of HTTP attempts to Freshchat, by endpoint family.',
      labelNames: ['family'],
      buckets: UPSTREAM_BUCKETS,
      registers,
    }),
    upstreamRetries: new Counter({
      name: 'freshchat_upstream_retries_total',
      help: 'Retried attempts to Freshchat (attempts after the first of a call).',
      labelNames: ['family'],
      registers,
    }),
    upstreamRateLimited: new Counter({
      name: 'freshchat_upstream_rate_limited_total',
      help: 'HTTP 429 answers from Freshchat itself.',
      labelNames: ['family'],
      registers,
    }),
    upstreamRefused: new Counter({
      name: 'freshchat_upstream_refused_total',
      help: 'Attempts refused before anything was sent: local quota or queue, open circuit, deadline.',
      labelNames: ['family', 'reason'],
      registers,
    }),
    quotaWait: new Histogram({
      name: 'freshchat_quota_wait_seconds',
      help: 'Time an attempt waited for a concurrency slot and a request-quota turn before being sent.',
      labelNames: ['family'],
      buckets: WAIT_BUCKETS,
      registers,
    }),
    breakerState: new Gauge({
      name: 'freshchat_circuit_breaker_state',
      help: 'Circuit breaker state per account and endpoint family: 0 closed, 1 half-open, 2 open.',
      labelNames: ['account', 'family'],
      registers,
    }),
    graphqlRequests: new Counter({
      name: 'graphql_requests_total',
      help: 'GraphQL requests by operation type and outcome (ok, partial, error, rejected).',
      labelNames: ['operation_type', 'outcome'],
      registers,
    }),
    graphqlDuration: new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'GraphQL request duration, from receipt to response, by operation type.',
      labelNames: ['operation_type'],
      buckets: UPSTREAM_BUCKETS,
      registers,
    }),
    cacheLookups: new Counter({
      name: 'freshchat_cache_lookups_total',
      help: 'Catalog cache lookups (groups, roles) by result: hit or miss.',
      labelNames: ['cache', 'result'],
      registers,
    }),
  };
}

export const BREAKER_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;
