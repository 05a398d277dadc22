/**
 * The request being served, for every log line written while serving it (the logger's mixin reads
 * its id), upstream attempts included. An AsyncLocalStorage rather than a context field: log lines
 * come from layers (transport, resilience) that never see the GraphQL context. The HTTP side that
 * enters a scope per request is ./observability/request-scope.ts.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestScope {
  requestId: string;
  /** Freshchat accounts this request called, for its access log line. */
  accounts: Set<string>;
}

const storage = new AsyncLocalStorage<RequestScope>();

export const REQUEST_ID_HEADER = 'x-request-id';

// An incoming id is echoed into logs and a response header: only a plain token is trusted.
const SAFE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The request id to use: the caller's `x-request-id` when it is a plain token, else a new UUID. */
export function toRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}

export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

export function createScope(requestId: string): RequestScope {
  return { requestId, accounts: new Set() };
}

/** Runs `next` inside a new scope for the request with this id. */
export function runInScope<T>(requestId: string, next: () => T): T {
  return storage.run(createScope(requestId), next);
}

/** Runs `next` inside `scope`, made once per request and entered again after a callback that lost it. */
export function enterScope<T>(scope: RequestScope, next: () => T): T {
  return storage.run(scope, next);
}
