/**
 * Express middleware that gives each HTTP request its scope (../request-scope.ts): the id every log
 * line written while serving it carries.
 */
import type { RequestHandler } from 'express';
import { REQUEST_ID_HEADER, runInScope, toRequestId } from '../request-scope.js';


/**
 * Gives the request its id (set on the request headers, so Apollo plugins see it too, and returned
 * in the response) and runs the rest of the chain in its scope.
 */
export function requestScope(): RequestHandler {
  return (req, res, next) => {
    const requestId = toRequestId(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    runInScope(requestId, next);
  };
}

/**
 * Re-enters the request's scope. Needed after a body parser: it calls `next` from the socket's
 * stream events, which carry the connection's async context, not the request's.
 */
export function reenterRequestScope(): RequestHandler {
  return (req, _res, next) => runInScope(toRequestId(req.headers[REQUEST_ID_HEADER]), next);
}
