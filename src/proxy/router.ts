/**
 * The passthrough `/proxy/freshchat/v2/<path>` (docs/design.md#the-passthrough): any Freshchat endpoint the
 * unified models do not cover, called with the account's token and answered as Freshchat answered.
 * It runs under the same rules as GraphQL, through the same account transport: the account from
 * `x-freshchat-account-id` (else the default one), the caller's tenant, the account's quota,
 * concurrency limit and breakers, the request deadline, the per-request call ceiling, cancellation
 * when the caller goes away, and a transport that never logs the token. Only GET and HEAD are ever
 * retried.
 */
import express, { type Request, type Response as ExpressResponse } from 'express';
import { AuthenticationError, type Authenticate } from '../accounts/auth.js';
import type { ContextDeps } from '../context.js';
import { ACCOUNT_HEADER, createRequestAccounts } from '../accounts/per-request.js';
import { headerValue } from '../freshchat/decode.js';
import type { Account } from '../account.js';
import { FreshchatError, PublicError } from '../errors.js';
import { callerGoneSignal, startDeadline, type Deadline } from '../freshchat/signals.js';
import type { Logger } from '../logger.js';
import { createCallCeiling } from '../resilience/call-ceiling.js';
import { readAnswer, UpstreamAnswer, type RawAnswer } from './answer.js';
import { toProxyTarget } from './path.js';

export type ProxyDeps = Pick<ContextDeps, 'accounts' | 'transports' | 'deadlineMs' | 'maxUpstreamCalls'> & {
  /** The caller's JWT (docs/design.md#caller-authentication), as for GraphQL; absent when caller authentication is not configured. */
  authenticate?: Authenticate;
  maxBodyBytes: number;
  logger: Logger;
};

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const);
type Method = typeof METHODS extends Set<infer M> ? M : never;
const isMethod = (method: string): method is Method => METHODS.has(method as Method);

export function createProxyRouter(deps: ProxyDeps): express.Router {
  const router = express.Router();
  // Every answer, Freshchat's included: a browser must never sniff an upstream HTML page (a portal
  // host answering instead of the API) into something it runs.
  router.use((_req, res, next) => {
    res.set('x-content-type-options', 'nosniff');
    next();
  });
  // The path is judged first: a refused one costs no account lookup and no upstream call.
  router.use((req, res, next) => {
    const target = toProxyTarget(req.originalUrl);
    if (!target.ok) return void refuse(res, 400, 'BAD_REQUEST', target.reason);
    if (!isMethod(req.method)) return void refuse(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not forwarded.`);
    if (hasBody(req) && !req.is('application/json')) return void refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Only JSON bodies are forwarded.');
    next();
  });
  router.use(express.json({ limit: deps.maxBodyBytes, strict: false }));
  // Express 5 sends a rejected promise to the error handler (a JSON 500), never leaving it unhandled.
  router.use((req, res) => forward(deps, req, res));
  return router;
}

async function forward(deps: ProxyDeps, req: Request, res: ExpressResponse): Promise<void> {
  const target = toProxyTarget(req.originalUrl);
  if (!target.ok || !isMethod(req.method)) return;
  // One deadline for the account's lookup and the call: the registry's answer is part of the request's time.
  const deadline = startDeadline(deps.deadlineMs);
  const account = await accountFor(deps, req, res, deadline);
  if (!account) return;
  const idempotent = req.method === 'GET' || req.method === 'HEAD';
  // Freshchat's last answer: a GET that ends on a refusal of ours (a throttle wait past the deadline,
  // an open circuit, the call ceiling) after Freshchat answered 429 or 5xx passes on what Freshchat said.
  let last: RawAnswer | undefined;
  const respond = (response: Parameters<typeof readAnswer>[0], now: number) =>
    readAnswer(response, now).catch((error: unknown) => {
      if (error instanceof UpstreamAnswer) last = error.answer;
      throw error;
    });
  // A caller that disconnects cancels the call (and its retries), as a GraphQL request's do.
  const use = { deadline, callerGone: callerGoneSignal(res), ceiling: createCallCeiling(deps.maxUpstreamCalls) };
  try {
    const answer = await deps.transports.send(account, use)<RawAnswer>({
      method: req.method,
      path: target.path,
      rawQuery: target.rawQuery,
      body: hasBody(req) ? req.body : undefined,
      idempotent,
      decode: readByRespond,
      respond,
    });
    relay(res, answer);
  } catch (error) {
    if (use.callerGone.aborted) return; // nobody is left to answer
    if (last) return relay(res, last);
    if (!(error instanceof FreshchatError)) throw error;
    deps.logger.warn({ account: account.id, method: req.method, family: target.family, kind: error.kind }, 'passthrough call failed');
    failed(res, error, idempotent);
  }
}

/**
 * The account as GraphQL would choose it without an argument, within the request's deadline; answers
 * itself (401, 400 for a malformed id, 404, 503 when the registry cannot say) when there is none.
 */
async function accountFor(deps: ProxyDeps, req: Request, res: ExpressResponse, deadline: Deadline): Promise<Account | null> {
  try {
    const caller = await deps.authenticate?.(req.headers);
    const request = { header: headerValue(req.headers[ACCOUNT_HEADER]), caller, deadline: deadline.at };
    return await createRequestAccounts(deps.accounts, request, (found) => found).choose(undefined);
  } catch (error) {
    if (error instanceof AuthenticationError) {
      res.set('www-authenticate', 'Bearer');
      refuse(res, 401, 'UNAUTHENTICATED', error.message);
    } else if (error instanceof PublicError) {
      if (error.status >= 500) deps.logger.warn({ code: error.code, ...error.logFields() }, error.message);
      if (typeof error.extensions.retryAfter === 'number') res.set('retry-after', String(error.extensions.retryAfter));
      refuse(res, error.status, error.code, error.message);
    } else throw error;
    return null;
  }
}

/** `respond` reads every answer of a passthrough call, so the JSON decoder is never used. */
function readByRespond(): never {
  throw new Error('a passthrough answer is read by readAnswer');
}

/** Freshchat's answer as it came: status, body bytes, and the headers worth passing on. */
function relay(res: ExpressResponse, answer: RawAnswer): void {
  res.status(answer.status).set(answer.headers).end(answer.body);
}

/** No answer from Freshchat: ours, saying what is known of a write that may have been sent. */
function failed(res: ExpressResponse, error: FreshchatError, idempotent: boolean): void {
  if (error.kind === 'RATE_LIMITED' && error.retryAfter !== undefined) res.set('retry-after', String(error.retryAfter));
  const status = error.kind === 'RATE_LIMITED' ? 429 : error.kind === 'UNAVAILABLE' ? 503 : 502;
  const code = error.kind === 'RATE_LIMITED' ? 'RATE_LIMITED' : error.kind === 'UNAVAILABLE' ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_BAD_RESPONSE';
  const writeOutcome = idempotent ? undefined : error.sent === false ? 'NOT_SENT' : 'UNKNOWN';
  res.status(status).json({ error: { code, message: error.message, retryAfter: error.retryAfter, writeOutcome } });
}

function refuse(res: ExpressResponse, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
