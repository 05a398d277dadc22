import type { Fault } from '../../src/sandbox/index.js';

/**
 * Settings that keep the fault tables fast: two attempts, so 429 and 5xx are retried once before they
 * surface, and a short per-call header timeout, so a hanging Freshchat fails one field in about a
 * second while the request deadline stays far enough away never to cut the sibling fields short.
 */
export const FAST_FAULT_ENV: Readonly<Record<string, string>> = {
  UPSTREAM_MAX_ATTEMPTS: '2',
  UPSTREAM_RETRY_BASE_MS: '5',
  UPSTREAM_RETRY_MAX_MS: '20',
  UPSTREAM_HEADERS_TIMEOUT_MS: '500',
  REQUEST_DEADLINE_MS: '10000',
  // Every row fails the same endpoint family on purpose; an open circuit would answer the next rows
  // before the fault under test is even reached (breakers have their own tests).
  FRESHCHAT_BREAKER_FAILURES: '1000',
};

export interface UpstreamFaultCase {
  name: string;
  fault: Fault;
  /** The `extensions.code` docs/design.md#errors gives the fault. */
  code: string;
}

/** Every kind of upstream fault of issue 9, as the sandbox injects it, with its GraphQL code. */
export const UPSTREAM_FAULTS: readonly UpstreamFaultCase[] = [
  { name: '401', fault: { kind: 'status', status: 401 }, code: 'UNAUTHENTICATED' },
  { name: '403', fault: { kind: 'status', status: 403 }, code: 'FORBIDDEN' },
  // A lookup's 404 is a missing object (null, no error); on a list it is a response we cannot read.
  { name: '404 on a list', fault: { kind: 'status', status: 404 }, code: 'UPSTREAM_BAD_RESPONSE' },
  { name: '429 after retries', fault: { kind: 'status', status: 429, retryAfter: 0 }, code: 'RATE_LIMITED' },
  { name: '500', fault: { kind: 'status', status: 500 }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: '503', fault: { kind: 'status', status: 503 }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: 'a timeout', fault: { kind: 'hang' }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: 'an HTML page with 200', fault: { kind: 'html' }, code: 'UPSTREAM_BAD_RESPONSE' },
];

export interface ErrorAt {
  path: (string | number)[] | undefined;
  code: unknown;
}

/** The errors of a response reduced to where they sit and their code, in path order. */
export function errorsAt(errors: readonly { path?: (string | number)[]; extensions?: Record<string, unknown> }[] | undefined): ErrorAt[] {
  return (errors ?? [])
    .map((e) => ({ path: e.path, code: e.extensions?.code }))
    .sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)));
}
