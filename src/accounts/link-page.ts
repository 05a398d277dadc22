import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { PublicError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Database } from './db.js';
import { formPage, messagePage, REGIONS, type FieldName } from './link-html.js';
import type { LinkSession, LinkSessions } from './link-sessions.js';
import type { Linking } from './linking.js';
import { newAccountId, type AccountStore, type LinkedAccount } from './store.js';

/**
 * The hosted link page (docs/design.md#linked-accounts): `/link/<token>`, where a product's end customer connects their
 * Freshchat account. One-time and expiring; a failed attempt leaves it usable.
 *
 * CSRF: the form carries HMAC(link token, nonce) where the nonce is in a SameSite=Strict, HttpOnly
 * cookie scoped to this page, so only a browser that loaded this very page can post it; and a
 * cross-site Origin (or Sec-Fetch-Site) is refused before anything else.
 */
export interface LinkPageDeps {
  db: Database;
  store: AccountStore;
  sessions: LinkSessions;
  linking: Linking;
  publicUrl: string | undefined;
  logger: Logger;
}

const COOKIE = 'freshchat_link_csrf';

export function createLinkRouter(deps: LinkPageDeps): express.Router {
  const router = express.Router();
  router.use(securityHeaders);
  router.get('/:token', async (req, res) => {
    const session = await openSession(deps.sessions, req.params.token, res);
    if (!session) return;
    const nonce = randomBytes(16).toString('base64url');
    res.cookie(COOKIE, nonce, { httpOnly: true, sameSite: 'strict', secure: isHttps(req, deps), path: req.baseUrl + req.path });
    render(res, 200, session, { action: req.baseUrl + req.path, csrf: csrfFor(req.params.token, nonce), apiUrl: '', region: '', errors: {} });
  });
  router.post('/:token', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 }), async (req, res) => {
    const token = req.params.token;
    if (!sameOrigin(req, deps) || !csrfValid(req, token)) {
      return void res.status(403).send(messagePage('Request refused', 'Reload the page from the link you were given and submit the form again.'));
    }
    const session = await openSession(deps.sessions, token, res);
    if (!session) return;
    const form = { apiUrl: str(req.body, 'apiUrl'), region: str(req.body, 'region'), apiKey: str(req.body, 'apiKey') };
    const view = { action: req.baseUrl + req.path, csrf: str(req.body, 'csrf'), apiUrl: form.apiUrl, region: form.region };
    const apiUrl = form.apiUrl || REGIONS.find((r) => r.value === form.region)?.apiUrl || '';
    const missing: Partial<Record<FieldName, string>> = {};
    if (!apiUrl) missing.apiUrl = 'Enter your chat URL, or choose your region';
    if (!form.apiKey) missing.apiKey = 'Enter your API key';
    if (missing.apiUrl || missing.apiKey) return render(res, 400, session, { ...view, errors: missing });

    const checked = await deps.linking.check(apiUrl, form.apiKey);
    if (!checked.ok) {
      const at: FieldName = checked.refusal.field === 'apiToken' ? 'apiKey' : 'apiUrl';
      return render(res, checked.refusal.status === 503 ? 503 : 422, session, { ...view, errors: { [at]: pageMessage(checked.refusal.message) } });
    }
    const account = await store(deps, token, session, checked.apiUrl, form.apiKey);
    if (!account) return void res.status(410).send(messagePage('Link already used', 'This link has already been used or has expired. Ask for a new one.'));
    deps.logger.info({ accountId: account.id, tenant: account.tenant }, 'account linked through the link page');
    if (session.redirectUrl) {
      const target = new URL(session.redirectUrl);
      target.searchParams.set('accountId', account.id);
      return void res.redirect(303, target.toString());
    }
    res.status(200).send(messagePage('Freshchat connected', `Your Freshchat account is connected (${account.apiUrl}). You can close this page.`));
  });
  router.use(unavailablePage(deps.logger));
  return router;
}

/** The registry down: a page that says to try again (the session is still usable), not a JSON 500. */
function unavailablePage(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (!(error instanceof PublicError) || error.status < 500) return next(error);
    logger.warn({ code: error.code, ...error.logFields() }, error.message);
    res.status(503).set('retry-after', '5').send(messagePage('Try again in a moment', 'The service is briefly unavailable. Reload this page in a moment and submit the form again.'));
  };
}

/** The account and the session's use, together or not at all (two tabs cannot both link). */
async function store(deps: LinkPageDeps, token: string, session: LinkSession, apiUrl: string, apiKey: string): Promise<LinkedAccount | null> {
  try {
    return await deps.db.transaction(async (tx) => {
      const account = await deps.store.within(tx).insert({ id: newAccountId(), name: new URL(apiUrl).hostname, apiUrl, tenant: session.tenant, token: apiKey });
      if (!(await deps.sessions.claim(tx, token, account.id))) throw new SessionGone();
      return account;
    });
  } catch (error) {
    if (error instanceof SessionGone) return null;
    throw error;
  }
}

class SessionGone extends Error {}

async function openSession(sessions: LinkSessions, token: string, res: Response): Promise<LinkSession | null> {
  const session = /^[A-Za-z0-9_-]{43}$/.test(token) ? await sessions.get(token) : null;
  if (!session) res.status(404).send(messagePage('Link not found', 'This link is not valid. Ask for a new one.'));
  else if (session.state === 'used') res.status(410).send(messagePage('Link already used', 'This link has already been used to connect an account. Ask for a new one if you need to connect another.'));
  else if (session.state === 'expired') res.status(410).send(messagePage('Link expired', 'This link has expired (links last 30 minutes). Ask for a new one.'));
  else return session;
  return null;
}

function render(res: Response, status: number, session: LinkSession, view: Parameters<typeof formPage>[0]): void {
  // The form posts here, then the answer may redirect to the product: both must be allowed targets.
  const redirectOrigin = session.redirectUrl ? ` ${new URL(session.redirectUrl).origin}` : '';
  res.set('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${redirectOrigin}; frame-ancestors 'none'; base-uri 'none'`);
  res.status(status).send(formPage(view));
}

const securityHeaders: express.RequestHandler = (_req, res, next) => {
  res.set({
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    'cache-control': 'no-store',
    // The URL is a capability: never sent to another origin in a Referer. (`no-referrer` would also make
    // the browser send `Origin: null` with the form, which the same-origin check must refuse.)
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  });
  next();
};

const csrfFor = (token: string, nonce: string) => createHmac('sha256', token).update(nonce).digest('base64url');

function csrfValid(req: Request, token: string): boolean {
  const nonce = cookie(req, COOKIE);
  if (!nonce) return false;
  const expected = Buffer.from(csrfFor(token, nonce));
  const given = Buffer.from(str(req.body, 'csrf'));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sameOrigin(req: Request, deps: Pick<LinkPageDeps, 'publicUrl'>): boolean {
  const origin = req.get('origin');
  if (origin !== undefined) return origin === ownOrigin(req, deps);
  const site = req.get('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

const ownOrigin = (req: Request, deps: Pick<LinkPageDeps, 'publicUrl'>) =>
  deps.publicUrl ? new URL(deps.publicUrl).origin : `${req.protocol}://${req.get('host') ?? ''}`;

const isHttps = (req: Request, deps: Pick<LinkPageDeps, 'publicUrl'>) => ownOrigin(req, deps).startsWith('https:');

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

const str = (body: unknown, key: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value.trim() : '';
};

/** The admin API's messages name its fields; the page names what the person typed. */
const pageMessage = (message: string) => message.replace(/^apiUrl /, 'The chat URL ').replace('(FRESHCHAT_ALLOWED_HOSTS)', '— it must be a Freshchat address');
