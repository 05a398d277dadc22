import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE, isAccountId } from '../account.js';
import { PublicError } from '../errors.js';
import type { Logger } from '../logger.js';
import { isMalformedUrl, MALFORMED_URL_MESSAGE } from '../errors.js';
import type { Secret } from '../secret.js';
import type { LinkSessions } from './link-sessions.js';
import { notFound, type Linking, type LinkRefusal, type LinkResult } from './linking.js';
import type { Queryable } from './db.js';
import type { AccountStore, LinkedAccount } from './store.js';
import { createWebhookKeys, parseWebhookKey, type WebhookKeys } from './webhook-keys.js';

/**
 * The admin API (docs/design.md#linked-accounts): the product's backend links, lists, changes and unlinks accounts, and
 * opens link pages for its end customers. JSON only; never a token in an answer or a log line.
 */
export interface AdminDeps {
  /** Unset: every /admin path answers 404, as if there were no admin API. */
  adminToken: Secret | undefined;
  store: AccountStore;
  /** The registry, for the accounts' webhook keys. */
  db: Queryable;
  linking: Linking;
  sessions: LinkSessions;
  /** Base of the link-page URLs handed out; else the request's own origin. */
  publicUrl: string | undefined;
  logger: Logger;
  /** Re-encrypts every token (and webhook secret) under the current key; how many. */
  rotateKey: () => Promise<number>;
}

// No control character (NUL, CR, LF, ...): a database refuses NUL in text, and a name is printed in logs and pages.
const text = (max: number) =>
  z.string().trim().min(1).max(max).refine((value) => !/\p{Cc}/u.test(value), 'must not contain control characters');

const NewAccountBody = z.strictObject({
  name: text(200),
  apiUrl: text(2048),
  // Its characters are checked when it is validated (./linking.ts), with a message of its own.
  apiToken: z.string().trim().min(1).max(4096),
  tenant: text(200).nullable().optional(),
  id: z.string().regex(ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE).optional(),
});

const ChangesBody = z
  .strictObject({
    name: text(200).optional(),
    apiUrl: text(2048).optional(),
    apiToken: z.string().trim().min(1).max(4096).optional(),
    // A PEM key is several lines: parseWebhookKey judges it, with a message of its own.
    webhookPublicKey: z.string().trim().min(1).max(16_384).optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'give at least one of name, apiUrl, apiToken, webhookPublicKey');

const isHttpUrl = (value: string) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);

const SessionBody = z.strictObject({
  tenant: text(200).nullable().optional(),
  redirectUrl: z.string().max(2048).refine(isHttpUrl, 'must be an absolute http(s) URL').nullable().optional(),
});

export function createAdminRouter(deps: AdminDeps): express.Router {
  const router = express.Router();
  if (!deps.adminToken) return router; // falls through to the server's 404
  router.use(requireBearer(deps.adminToken), express.json({ limit: '16kb' }));
  // A malformed id is refused before any lookup (a NUL or a megabyte never reaches the database).
  router.param('id', (_req, res, next, id: string) => (isAccountId(id) ? next() : refuse(res, { status: 400, code: 'BAD_USER_INPUT', message: `account id ${ACCOUNT_ID_RULE}` })));

  const webhooks = createWebhookKeys(deps.db);
  const present = (req: Request) => presenter(webhooks, deps.publicUrl ?? originOf(req));
  router.post('/accounts', async (req, res) => {
    const body = parseBody(NewAccountBody, req, res);
    if (!body) return;
    const { apiToken, tenant, ...rest } = body;
    await answer(res, await deps.linking.link({ ...rest, token: apiToken, tenant: tenant ?? null }), 201, deps.logger, 'linked', present(req));
  });
  router.get('/accounts', async (req, res) => void res.json({ accounts: await present(req)(await deps.store.list()) }));
  router.get('/accounts/:id', async (req, res) => {
    const account = await deps.store.get(req.params.id);
    if (account) res.json({ account: (await present(req)([account]))[0] });
    else refuse(res, notFound(req.params.id));
  });
  router.patch('/accounts/:id', async (req, res) => {
    const body = parseBody(ChangesBody, req, res);
    if (!body) return;
    // Checked before anything changes (and before Freshchat is asked about a new token).
    const key = body.webhookPublicKey === undefined ? undefined : parseWebhookKey(body.webhookPublicKey);
    if (key === null) return refuse(res, BAD_KEY);
    const relinked = body.name !== undefined || body.apiUrl !== undefined || body.apiToken !== undefined;
    const result = relinked
      ? await deps.linking.relink(req.params.id, { name: body.name, apiUrl: body.apiUrl, token: body.apiToken })
      : await found(deps.store, req.params.id);
    if (result.ok && key) await webhooks.set(result.account.id, key);
    await answer(res, result, 200, deps.logger, relinked ? 'relinked' : 'updated', present(req));
  });
  router.delete('/accounts/:id', async (req, res) => {
    if (!(await deps.store.remove(req.params.id))) return refuse(res, notFound(req.params.id));
    deps.logger.info({ accountId: req.params.id }, 'account unlinked');
    res.status(204).end();
  });
  // Rotation re-encrypts in the process that holds both keys (CREDENTIALS_KEY, CREDENTIALS_KEY_PREVIOUS):
  // with the embedded registry, the running server is the only process that may open it.
  router.post('/rotate-key', async (_req, res) => {
    const reencrypted = await deps.rotateKey();
    deps.logger.info({ reencrypted }, 'credentials re-encrypted under the current key');
    res.json({ reencrypted });
  });
  router.post('/link-sessions', async (req, res) => {
    const body = parseBody(SessionBody, req, res);
    if (!body) return;
    const session = await deps.sessions.create({ tenant: body.tenant ?? null, redirectUrl: body.redirectUrl ?? null });
    const base = deps.publicUrl ?? originOf(req);
    res.status(201).json({ url: `${base}/link/${session.token}`, expiresAt: session.expiresAt.toISOString() });
  });
  router.use(bodyErrors, publicErrors(deps.logger));
  return router;
}

async function answer(res: Response, result: LinkResult, status: number, logger: Logger, verb: string, present: Present): Promise<void> {
  if (!result.ok) return refuse(res, result.refusal);
  logger.info({ accountId: result.account.id, tenant: result.account.tenant }, `account ${verb}`);
  res.status(status).json({ account: (await present([result.account]))[0] });
}

const originOf = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

const BAD_KEY: LinkRefusal = {
  status: 400,
  code: 'BAD_USER_INPUT',
  message: 'webhookPublicKey is not an RSA public key: paste it as Freshchat shows it (-----BEGIN RSA PUBLIC KEY----- ... -----END RSA PUBLIC KEY-----)',
};

type Present = (accounts: LinkedAccount[]) => Promise<(LinkedAccount & { webhookUrl: string; webhookPublicKeySet: boolean })[]>;

/** `A` with where Freshchat should send the account's webhooks, and whether their key is set (docs/sync.md). */
function presenter(webhooks: WebhookKeys, base: string): Present {
  return async (accounts) => {
    const withKeys = await webhooks.which(accounts.map((account) => account.id));
    return accounts.map((account) => ({
      ...account,
      webhookUrl: `${base}/webhooks/freshchat/${encodeURIComponent(account.id)}`,
      webhookPublicKeySet: withKeys.has(account.id),
    }));
  };
}

async function found(store: AccountStore, id: string): Promise<LinkResult> {
  const account = await store.get(id);
  return account ? { ok: true, account } : { ok: false, refusal: notFound(id) };
}

function refuse(res: Response, refusal: LinkRefusal): void {
  const { status, code, message, field } = refusal;
  res.status(status).json({ error: field ? { code, message, field } : { code, message } });
}

/** The body as `schema` reads it, or undefined once a 400 naming the first problem is sent. */
export function parseBody<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  refuse(res, { status: 400, code: 'BAD_USER_INPUT', message: `${where}${issue?.message ?? 'invalid body'}` });
  return undefined;
}

/**
 * Whether an Authorization header carries `Bearer <token>`. Compares digests, so the comparison takes
 * the same time whatever the guess.
 */
export function bearerCheck(token: Secret): (authorization: string | undefined) => boolean {
  const expected = createHash('sha256').update(token.reveal()).digest();
  return (authorization) => {
    const match = /^Bearer (.+)$/.exec(authorization ?? '');
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    return match !== null && timingSafeEqual(given, expected);
  };
}

/** Refuses, with 401, a request without `Authorization: Bearer <token>`. */
export function requireBearer(token: Secret): RequestHandler {
  const isAdmin = bearerCheck(token);
  return (req, res, next) => {
    if (isAdmin(req.get('authorization'))) return next();
    res.status(401).set('www-authenticate', 'Bearer').json({ error: { code: 'UNAUTHENTICATED', message: 'Authorization: Bearer <ADMIN_TOKEN> required' } });
  };
}

/** A refusal of ours (the registry unavailable, an unusable account) in the admin API's shape, not a 500. */
function publicErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (!(error instanceof PublicError)) return next(error);
    if (error.status >= 500) logger.warn({ code: error.code, ...error.logFields() }, error.message);
    if (typeof error.extensions.retryAfter === 'number') res.set('retry-after', String(error.extensions.retryAfter));
    res.status(error.status).json({ error: { code: error.code, message: error.message } });
  };
}

/**
 * A URL that cannot be decoded, a body that is not JSON, or too large: the admin API's own error
 * shape, not Express's HTML (nor a URL error read as a body error: both are status 400).
 */
export const bodyErrors: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, next) => {
  if (isMalformedUrl(error)) return refuse(res, { status: 400, code: 'BAD_REQUEST', message: MALFORMED_URL_MESSAGE });
  if (error.status === 400 || error.status === 413) {
    return refuse(res, { status: 400, code: 'BAD_USER_INPUT', message: error.status === 413 ? 'body too large' : 'body is not valid JSON' });
  }
  next(error);
};
