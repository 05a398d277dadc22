import express, { type Response } from 'express';
import { z } from 'zod';
import { ACCOUNT_ID_PATTERN, type AccountSource } from '../account.js';
import { bodyErrors, parseBody, requireBearer } from '../accounts/admin.js';
import { AuthenticationError, type Authenticate } from '../accounts/auth.js';
import type { Queryable } from '../accounts/db.js';
import type { Logger } from '../logger.js';
import { NODE_TYPENAMES } from '../models.js';
import type { Secret } from '../secret.js';
import { listDeliveries, makeDue, type DeliveryStatus } from './deliveries.js';
import type { EndpointStore, Scope } from './endpoints.js';
import type { UrlPolicy } from './url-policy.js';

/**
 * Managing webhook endpoints (docs/sync.md "Managing endpoints"): the operator's under
 * `/admin/webhook-endpoints` (ADMIN_TOKEN), a tenant's own under `/webhook-endpoints` (its caller
 * JWT, when caller JWTs are configured). The same operations and answers on both; a tenant sees and
 * names only its endpoints and its accounts, and another tenant's look exactly like missing ones.
 */
export interface EndpointApiDeps {
  endpoints: EndpointStore;
  db: Queryable;
  policy: UrlPolicy;
  accounts: AccountSource;
  /** CREDENTIALS_KEY is set: secrets can be stored. */
  canStore: boolean;
  /** Sends a delivery made due by a retry at once. */
  wake: () => void;
  now: () => number;
  logger: Logger;
}

const NewEndpointBody = z.strictObject({
  url: z.string().max(2_048),
  accountIds: z.array(z.string().regex(ACCOUNT_ID_PATTERN, 'must be account ids')).min(1, 'must not be empty (omit it for every account)').max(100).nullable().optional(),
  types: z
    .array(z.enum(NODE_TYPENAMES as [string, ...string[]], { message: `must be concrete typenames: ${NODE_TYPENAMES.join(', ')}` }))
    .min(1, 'must not be empty (omit it for every type)')
    .max(NODE_TYPENAMES.length)
    .nullable()
    .optional(),
  description: z.string().trim().max(500).nullable().optional(),
});

const DeliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().regex(/^[1-9][0-9]{0,18}$/, 'must be a nextCursor from an earlier answer').optional(),
});

/** `/admin/webhook-endpoints`: the operator's, behind ADMIN_TOKEN; absent (404) without it. */
export function createAdminEndpointRouter(adminToken: Secret | undefined, deps: EndpointApiDeps): express.Router {
  const router = express.Router();
  if (!adminToken) return router;
  router.use(requireBearer(adminToken), express.json({ limit: '16kb' }));
  mountOperations(router, deps, () => ({ operator: true }));
  router.use(bodyErrors);
  return router;
}

/** `/webhook-endpoints`: each tenant's own, behind its caller JWT; absent (404) when caller JWTs are not configured. */
export function createTenantEndpointRouter(authenticate: Authenticate, deps: EndpointApiDeps): express.Router {
  const router = express.Router();
  router.use(async (req, res, next) => {
    try {
      const caller = await authenticate(req.headers);
      if (caller === undefined) return next('router'); // no caller JWTs: nothing here
      if (caller.tenant === null) return fail(res, 403, 'FORBIDDEN', 'the token names no tenant, so it has no endpoints to manage');
      res.locals.scope = { operator: false, tenant: caller.tenant } satisfies Scope;
      next();
    } catch (error) {
      if (!(error instanceof AuthenticationError)) return next(error);
      res.status(401).set('www-authenticate', 'Bearer').json({ error: { code: 'UNAUTHENTICATED', message: error.message } });
    }
  });
  router.use(express.json({ limit: '16kb' }));
  mountOperations(router, deps, (res) => res.locals.scope as Scope);
  router.use(bodyErrors);
  return router;
}

function mountOperations(router: express.Router, deps: EndpointApiDeps, scopeOf: (res: Response) => Scope): void {
  router.post('/', async (req, res) => {
    const body = parseBody(NewEndpointBody, req, res);
    if (!body) return;
    const scope = scopeOf(res);
    if (!deps.canStore) return fail(res, 503, 'CREDENTIALS_KEY_MISSING', 'CREDENTIALS_KEY is not set: this deployment cannot store webhook secrets (32 random bytes, base64)');
    const url = await deps.policy.check(body.url);
    if (!url.ok) return fail(res, 400, 'BAD_USER_INPUT', `url ${url.reason}`, 'url');
    const unknown = await firstUnknownAccount(deps.accounts, body.accountIds ?? [], scope);
    if (unknown !== undefined) return fail(res, 400, 'BAD_USER_INPUT', `accountIds: no account ${unknown}`, 'accountIds');
    const created = await deps.endpoints.create({
      url: url.url,
      description: body.description ?? null,
      accountIds: body.accountIds ?? null,
      types: body.types ?? null,
      tenant: scope.operator ? null : scope.tenant,
    });
    deps.logger.info({ endpointId: created.endpoint.id, tenant: created.endpoint.tenant }, 'webhook endpoint created');
    res.status(201).json(created);
  });
  router.get('/', async (_req, res) => void res.json({ endpoints: await deps.endpoints.list(scopeOf(res)) }));
  router.get('/:id', async (req, res) => {
    const endpoint = await deps.endpoints.get(req.params.id, scopeOf(res));
    if (endpoint) res.json({ endpoint });
    else noEndpoint(res, req.params.id);
  });
  router.delete('/:id', async (req, res) => {
    if (!(await deps.endpoints.remove(req.params.id, scopeOf(res)))) return noEndpoint(res, req.params.id);
    deps.logger.info({ endpointId: req.params.id }, 'webhook endpoint deleted');
    res.status(204).end();
  });
  router.get('/:id/deliveries', async (req, res) => {
    const query = DeliveriesQuery.safeParse(req.query);
    if (!query.success) return fail(res, 400, 'BAD_USER_INPUT', describe(query.error));
    if (!(await deps.endpoints.get(req.params.id, scopeOf(res)))) return noEndpoint(res, req.params.id);
    const { status, limit, cursor } = query.data;
    const page = await listDeliveries(deps.db, req.params.id, { status: status as DeliveryStatus | undefined, limit, before: cursor === undefined ? undefined : Number(cursor) });
    res.json({ deliveries: page.deliveries, nextCursor: page.next === null ? null : String(page.next) });
  });
  router.post('/:id/deliveries/:deliveryId/retry', async (req, res) => {
    if (!(await deps.endpoints.get(req.params.id, scopeOf(res)))) return noEndpoint(res, req.params.id);
    const delivery = await makeDue(deps.db, req.params.id, req.params.deliveryId, new Date(deps.now()));
    if (!delivery) return fail(res, 404, 'NOT_FOUND', `endpoint ${req.params.id} has no delivery ${req.params.deliveryId}`);
    deps.wake();
    res.status(202).json({ delivery });
  });
}

/** The first id the scope may not name: unknown, or (for a tenant) another tenant's, which reads the same. */
async function firstUnknownAccount(accounts: AccountSource, ids: readonly string[], scope: Scope): Promise<string | undefined> {
  for (const id of ids) {
    const account = await accounts.find(id);
    if (!account || (!scope.operator && account.tenant !== scope.tenant)) return id;
  }
  return undefined;
}

function noEndpoint(res: Response, id: string): void {
  fail(res, 404, 'NOT_FOUND', `no webhook endpoint ${id}`);
}

function fail(res: Response, status: number, code: string, message: string, field?: string): void {
  res.status(status).json({ error: field ? { code, message, field } : { code, message } });
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`;
}
