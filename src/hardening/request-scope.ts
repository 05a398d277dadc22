import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import type { Dispatcher } from 'undici';

/** What the access log reports about one HTTP request to /graphql. */
export interface RequestScope {
  readonly startedAt: number;
  upstreamCalls: number;
}

// Async-local rather than a Context field: the dispatcher is shared by every request and built into
// the clients, so the only way to attribute a call to a request without threading a counter through
// context, loaders and client is the async context the call was made in.
const storage = new AsyncLocalStorage<RequestScope>();

/** Opens a scope for the rest of the request; mount it after the body parser (see server.ts). */
export const requestScope: RequestHandler = (_req, _res, next) => {
  storage.run({ startedAt: performance.now(), upstreamCalls: 0 }, next);
};

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/** The same dispatcher, counting every upstream attempt (retries included) against the current request. */
export function countUpstreamCalls(dispatcher: Dispatcher): Dispatcher {
  return dispatcher.compose((dispatch) => (options, handler) => {
    const scope = storage.getStore();
    if (scope) scope.upstreamCalls += 1;
    return dispatch(options, handler);
  });
}
