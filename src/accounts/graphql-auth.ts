import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { parse } from 'graphql';
import { AuthenticationError, type Authenticate } from './auth.js';
import { isServiceOnly } from './auth-scope.js';
import type { AccountChangeListener } from '../account.js';
import type { Caller } from './per-request.js';

/** What src/server.ts takes from src/accounts. */
export interface LinkedAccountsWiring {
  /** `/admin` and `/link`. */
  routes: RequestHandler;
  authenticate: Authenticate;
  /** /ready's detail: linked accounts, and those whose token Freshchat rejected (they do not make it unready). */
  readiness: (request: ReadinessRequest) => Promise<LinkedReadiness>;
  /** Changes of linked accounts made through this process: the server's caches drop retired keys. */
  onChange?: (listener: AccountChangeListener) => void;
}

/** Who asks /ready, and by when the registry must have answered. */
export interface ReadinessRequest {
  /** The Authorization header: the admin token sees account ids. */
  authorization: string | undefined;
  deadline: number;
}

/** Counts for anyone; the ids only with EXPOSE_ACCOUNT_IDS=true or the admin token. */
export interface LinkedReadiness {
  linked: number;
  invalidCredentials: number;
  /** The first 100 accounts whose token Freshchat rejected. */
  invalidCredentialsIds?: string[];
}

export interface GraphqlAuth {
  /** Before Apollo: verifies the caller once, or answers 401 UNAUTHENTICATED. */
  middleware: RequestHandler;
  /** The context's `authenticate`: the caller the middleware verified for these headers. */
  callerOf(request: { headers: IncomingHttpHeaders }): Promise<Caller | undefined>;
}

// A caller that may use no account: what a request gets when it reaches the context unverified (it
// cannot, but failing closed costs nothing) and what `_service { sdl }` gets without a token.
const NOBODY: Caller = Object.freeze({ tenant: null });
const UNCONFIGURED = Symbol('caller authentication is not configured');

/**
 * Caller authentication for /graphql (docs/design.md#caller-authentication). It runs before Apollo Server so that a request
 * without a valid token is refused whole (401, GraphQL error UNAUTHENTICATED), except an operation
 * that selects only `_service`, which composition tools fetch without credentials. The verified
 * caller is handed to the context keyed by the request's headers object, so it is verified once.
 */
export function createGraphqlAuth(authenticate: Authenticate): GraphqlAuth {
  const callers = new WeakMap<IncomingHttpHeaders, Caller | typeof UNCONFIGURED>();
  return {
    async middleware(req, res, next) {
      try {
        const caller = await authenticate(req.headers);
        callers.set(req.headers, caller ?? UNCONFIGURED);
        next();
      } catch (error) {
        if (!(error instanceof AuthenticationError)) return next(error);
        if (serviceOnly(req.method === 'GET' ? req.query : req.body)) {
          callers.set(req.headers, NOBODY);
          return next();
        }
        res.status(401).set('www-authenticate', 'Bearer').json({ errors: [{ message: error.message, extensions: { code: 'UNAUTHENTICATED' } }] });
      }
    },
    async callerOf(request) {
      const caller = callers.get(request.headers) ?? NOBODY;
      return caller === UNCONFIGURED ? undefined : caller;
    },
  };
}

function serviceOnly(payload: unknown): boolean {
  const { query, operationName } = (payload ?? {}) as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return false;
  try {
    return isServiceOnly(parse(query), typeof operationName === 'string' ? operationName : undefined);
  } catch {
    return false;
  }
}
