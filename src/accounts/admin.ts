import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { ACCOUNT_ID_PATTERN } from '../account.js';
import type { Logger } from '../logger.js';
import { isMalformedUrl, MALFORMED_URL_MESSAGE } from '../hardening/http-errors.js';
import type { Secret } from '../secret.js';
import type { LinkSessions } from './link-sessions.js';
import { notFound, type Linking, type LinkRefusal, type LinkResult } from './linking.js';
import type { AccountStore } from './store.js';

/**
 * The admin API (docs/design.md#linked-accounts): the product's backend links, lists, changes and unlinks accounts, and
 * opens link pages for its end customers. JSON only; never a token in an answer or a log line.
 */
export interface AdminDeps {
  /** Unset: every /admin path answers 404, as if there were no admin API. */
  adminToken: Secret | undefined;
  store: AccountStore;
  linking: Linking;
  sessions: LinkSessions;
  /** Base of the link-page URLs handed out; else the request's own origin. */
  publicUrl: string | undefined;
  logger: Logger;
}

const text = (max: number) => z.string().trim().min(1).max(max);

const NewAccountBody = z.strictObject({
  name: text(200),
  apiUrl: text(2048),
  apiToken: text(4096),
  tenant: text(200).nullable().optional(),
  id: z.string().regex(ACCOUNT_ID_PATTERN, 'must match [A-Za-z0-9._-]{1,64}').optional(),
});

const ChangesBody = z
  .strictObject({ name: text(200).optional(), apiUrl: text(2048).optional(), apiToken: text(4096).optional() })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'give at least one of name, apiUrl, apiToken');

const isHttpUrl = (value: string) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);

const SessionBody = z.strictObject({
  tenant: text(200).nullable().optional(),
  redirectUrl: z.string().max(2048).refine(isHttpUrl, 'must be an absolute http(s) URL').nullable().optional(),
});

export function createAdminRouter(deps: AdminDeps): express.Router {
  const router = express.Router();
  if (!deps.adminToken) return router; // falls through to the server's 404
  router.use(requireBearer(deps.adminToken), express.json({ limit: '16kb' }));

  router.post('/accounts', async (req, res) => {
    const body = parse(NewAccountBody, req, res);
    if (!body) return;
    const { apiToken, tenant, ...rest } = body;
    answer(res, await deps.linking.link({ ...rest, token: apiToken, tenant: tenant ?? null }), 201, deps.logger, 'linked');
  });
  router.get('/accounts', async (_req, res) => void res.json({ accounts: await deps.store.list() }));
  router.get('/accounts/:id', async (req, res) => {
    const account = await deps.store.get(req.params.id);
    if (account) res.json({ account });
    else refuse(res, notFound(req.params.id));
  });
  router.patch('/accounts/:id', async (req, res) => {
    const body = parse(ChangesBody, req, res);
    if (!body) return;
    const result = await deps.linking.relink(req.params.id, { name: body.name, apiUrl: body.apiUrl, token: body.apiToken });
    answer(res, result, 200, deps.logger, 'relinked');
  });
  router.delete('/accounts/:id', async (req, res) => {
    if (!(await deps.store.remove(req.params.id))) return refuse(res, notFound(req.params.id));
    deps.logger.info({ accountId: req.params.id }, 'account unlinked');
    res.status(204).end();
  });
  // Rotation re-encrypts in the process that holds both keys (CREDENTIALS_KEY, CREDENTIALS_KEY_PREVIOUS):
  // with the embedded registry, the running server is the only process that may open it.
  router.post('/rotate-key', async (_req, res) => {
    const reencrypted = await deps.store.rotateKey();
    deps.logger.info({ reencrypted }, 'credentials re-encrypted under the current key');
    res.json({ reencrypted });
  });
  router.post('/link-sessions', async (req, res) => {
    const body = parse(SessionBody, req, res);
    if (!body) return;
    const session = await deps.sessions.create({ tenant: body.tenant ?? null, redirectUrl: body.redirectUrl ?? null });
    const base = deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.status(201).json({ url: `${base}/link/${session.token}`, expiresAt: session.expiresAt.toISOString() });
  });
  router.use(bodyErrors);
  return router;
}

function answer(res: Response, result: LinkResult, status: number, logger: Logger, verb: string): void {
  if (!result.ok) return refuse(res, result.refusal);
  logger.info({ accountId: result.account.id, tenant: result.account.tenant }, `account ${verb}`);
  res.status(status).json({ account: result.account });
}

function refuse(res: Response, refusal: LinkRefusal): void {
  const { status, code, message, field } = refusal;
  res.status(status).json({ error: field ? { code, message, field } : { code, message } });
}

function parse<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  refuse(res, { status: 400, code: 'BAD_USER_INPUT', message: `${where}${issue?.message ?? 'invalid body'}` });
  return undefined;
}

/** Compares digests, so the comparison takes the same time whatever the guess. */
function requireBearer(token: Secret): RequestHandler {
  const expected = createHash('sha256').update(token.reveal()).digest();
  return (req, res, next) => {
    const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    if (match && timingSafeEqual(given, expected)) return next();
    res.status(401).set('www-authenticate', 'Bearer').json({ error: { code: 'UNAUTHENTICATED', message: 'Authorization: Bearer <ADMIN_TOKEN> required' } });
  };
}

/**
 * A URL that cannot be decoded, a body that is not JSON, or too large: the admin API's own error
 * shape, not Express's HTML (nor a URL error read as a body error: both are status 400).
 */
const bodyErrors: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, next) => {
  if (isMalformedUrl(error)) return refuse(res, { status: 400, code: 'BAD_REQUEST', message: MALFORMED_URL_MESSAGE });
  if (error.status === 400 || error.status === 413) {
    return refuse(res, { status: 400, code: 'BAD_USER_INPUT', message: error.status === 413 ? 'body too large' : 'body is not valid JSON' });
  }
  next(error);
};
