/**
 * Express middleware that gives each HTTP request its scope (../request-scope.ts): the id every log
 * line written while serving it carries.
 */
import type { RequestHandler } from 'express';
import { REQUEST_ID_HEADER, createScope, enterScope, runInScope, toRequestId, type RequestScope } from '../request-scope.js';

// The scope each request entered first, so re-entering it after the body parser makes no second one.
const scopes = new WeakMap<object, RequestScope>();

/**
 * Gives the request its id (set on the request headers, so Apollo plugins see it too, and returned
 * in the response) and runs the rest of the chain in its scope.
 */
export function requestScope(): RequestHandler {
  return (req, res, next) => {
    const requestId = toRequestId(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const scope = createScope(requestId);
    scopes.set(req, scope);
    enterScope(scope, next);
  };
}

/**
 * Re-enters the request's scope. Needed after a body parser: it calls `next` from the socket's
 * stream events, which carry the connection's async context, not the request's.
 */
export function reenterRequestScope(): RequestHandler {
  return (req, _res, next) => {
    const scope = scopes.get(req);
    return scope ? enterScope(scope, next) : runInScope(toRequestId(req.headers[REQUEST_ID_HEADER]), next);
  };
}
