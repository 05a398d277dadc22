/**
 * The request id of the HTTP request being served, for every log line written while serving it
 * (pino's mixin reads it), upstream attempts included. An AsyncLocalStorage rather than a context
 * field: log lines come from layers (transport, resilience) that never see the GraphQL context.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

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

/**
 * Gives the request its id (set on the request headers, so Apollo plugins see it too, and returned
 * in the response) and runs the rest of the chain in its scope.
 */
export function requestScope(): RequestHandler {
  return (req, res, next) => {
    const requestId = toRequestId(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    storage.run({ requestId, accounts: new Set() }, next);
  };
}

/**
 * Re-enters the request's scope. Needed after a body parser: it calls `next` from the socket's
 * stream events, which carry the connection's async context, not the request's.
 */
export function reenterRequestScope(): RequestHandler {
  return (req, _res, next) => storage.run({ requestId: toRequestId(req.headers[REQUEST_ID_HEADER]), accounts: new Set() }, next);
}
