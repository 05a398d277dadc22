import { readJsonBody } from './body.js';
import { routeConversations } from './conversation-routes.js';
import type { Dataset } from './dataset.js';
import { routeAdmin, type AdminContext } from './admin-routes.js';
import { ApiError, sendError, sendJson, writeHead, type Endpoints, type Exchange } from './http.js';
import { parsePageRequest, toEnvelope, type PagingOptions } from './paging.js';
import { LIST_RESOURCES, type ListResource } from './resources.js';
import { readBody, writeEndpoint, type WriteContext } from './writes.js';

/** Every read scope the sandbox knows (docs/freshchat-api.md#authentication); the default token has them all. */
export const READ_SCOPES = ['agent:read', 'user:read', 'role:read', 'account:read'] as const;

/** The conversation and message scopes (docs/freshchat-api.md#authentication); the default token has them all too. */
export const CONVERSATION_SCOPES = ['conversation:read', 'message:get', 'conversation:create', 'conversation:update', 'message:create'] as const;

export interface RouteContext {
  readonly dataset: Dataset;
  /** token → scopes */
  readonly tokens: ReadonlyMap<string, ReadonlySet<string>>;
  readonly paging: PagingOptions;
  readonly writes: WriteContext;
  /** `/sandbox/...`: what Freshchat's admin UI does (./admin-routes.ts), and the webhooks it sends. */
  readonly admin: AdminContext;
}

/**
 * Contact and agent writes answer with their own status (./writes.ts); every other endpoint,
 * conversation writes included, is in the route table, answering 200. Writes read their body first,
 * so requests answer asynchronously; the dataset changes in place.
 */
export async function handleRequest(ex: Exchange, ctx: RouteContext): Promise<void> {
  try {
    const scopes = authenticate(ex, ctx);
    const method = ex.req.method ?? 'GET';
    if (ex.url.pathname.startsWith('/sandbox/')) return await answerAdmin(ex, method, ctx);
    const write = method === 'GET' ? undefined : writeEndpoint(method, segments(ex) ?? [], ctx.writes);
    if (write) {
      requireScope(scopes, write.scope);
      const { status, body } = write.run(await readBody(ex));
      return sendJson(ex, status, body);
    }
    const endpoints = route(ex, ctx);
    const endpoint = Object.hasOwn(endpoints, method) ? endpoints[method as keyof Endpoints] : undefined;
    if (!endpoint) {
      const allow = Object.keys(endpoints).join(', ');
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here`, { Allow: allow });
    }
    requireScope(scopes, endpoint.scope);
    const input = method === 'GET' ? undefined : await readJsonBody(ex);
    sendJson(ex, 200, endpoint.body(input));
  } catch (error) {
    sendError(ex, error instanceof ApiError ? error : new ApiError(500, 'INTERNAL_SERVER_ERROR', 'Internal error'));
  }
}

async function answerAdmin(ex: Exchange, method: string, ctx: RouteContext): Promise<void> {
  const parts = ex.url.pathname.split('/').slice(2).map((part) => decodeURIComponent(part));
  const body = method === 'GET' || method === 'DELETE' ? undefined : await readBody(ex);
  const { status, body: answer } = routeAdmin(method, parts, body, ctx.admin);
  if (answer !== undefined) return sendJson(ex, status, answer);
  writeHead(ex, status, {});
  ex.res.end();
}

function requireScope(scopes: ReadonlySet<string>, scope: string | undefined): void {
  if (scope !== undefined && !scopes.has(scope)) throw new ApiError(403, 'FORBIDDEN', `The token lacks the ${scope} scope`);
}

function authenticate(ex: Exchange, ctx: RouteContext): ReadonlySet<string> {
  const header = ex.req.headers.authorization;
  if (!header) throw new ApiError(401, 'UNAUTHORIZED', 'Authorization header is missing');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const scopes = match?.[1] === undefined ? undefined : ctx.tokens.get(match[1]);
  if (!scopes) throw new ApiError(401, 'UNAUTHORIZED', 'Invalid or expired token');
  return scopes;
}

/** Path segments after `/v2`, decoded: ids are opaque and may contain any character. */
function segments(ex: Exchange): string[] | undefined {
  const [empty, version, ...rest] = ex.url.pathname.split('/');
  if (empty !== '' || version !== 'v2') return undefined;
  try {
    return rest.map((s) => decodeURIComponent(s));
  } catch {
    throw new ApiError(400, 'INVALID_VALUE', 'Malformed percent-encoding in the path');
  }
}

function route(ex: Exchange, ctx: RouteContext): Endpoints {
  const parts = segments(ex);
  const [name, id, ...extra] = parts ?? [];
  if (parts && name === 'accounts' && id === 'configuration' && extra.length === 0) {
    return { GET: { scope: 'account:read', body: () => ctx.dataset.configuration } };
  }
  const conversations = parts && routeConversations(parts, ex, ctx.dataset, ctx.paging, (event) => ctx.admin.webhooks.announce(event));
  if (conversations) return conversations;
  const resource = name !== undefined && Object.hasOwn(LIST_RESOURCES, name) ? LIST_RESOURCES[name] : undefined;
  if (resource && id === undefined) {
    return { GET: { scope: resource.scope, body: () => listBody(ex, ctx, resource) } };
  }
  if (resource?.notFound && id && extra.length === 0) {
    return { GET: { scope: resource.scope, body: () => itemBody(ctx, resource, id) } };
  }
  throw new ApiError(404, 'NOT_FOUND', `No such endpoint: ${ex.url.pathname}`);
}

function listBody(ex: Exchange, ctx: RouteContext, resource: ListResource): unknown {
  const query = ex.url.searchParams;
  // Page parameters are validated first: a malformed page is a 400 whatever the filters match.
  const page = parsePageRequest(query, ctx.paging);
  const items = resource.select(ctx.dataset, query);
  return toEnvelope(resource.key, resource.rel, items, page, ex.url);
}

/** Single-object GETs answer the bare object, not an envelope (docs/freshchat-api.md#single-objects-are-bare). */
function itemBody(ctx: RouteContext, resource: ListResource, id: string): unknown {
  const items: readonly { id: string }[] = ctx.dataset[resource.key];
  const found = items.find((item) => item.id === id);
  if (!found) throw new ApiError(404, resource.notFound ?? 'NOT_FOUND', `This ${resource.rel} does not exist`);
  return found;
}
