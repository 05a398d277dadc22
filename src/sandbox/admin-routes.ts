/**
 * What an admin does in Freshchat's own UI, which its REST API cannot (docs/sync.md "The sandbox"):
 * add, change, deactivate and remove agents, add, rename and remove groups and change who is in
 * them, and where the sandbox's webhooks go. Under `/sandbox/`, outside Freshchat's `/v2/`, with the
 * sandbox token; the changes show in the `/v2/` lists at once, so the subgraph's poller finds them.
 * Contacts need nothing here: Freshchat's own `POST`/`PUT /v2/users` change them.
 */
import { randomUUID } from 'node:crypto';
import type * as Freshchat from '../resources/wire.js';
import { asObject } from './body.js';
import type { Dataset } from './dataset.js';
import { ApiError } from './http.js';
import { invalidValue } from './paging.js';
import type { SandboxWebhooks } from './webhooks.js';

export interface AdminAnswer {
  status: number;
  body: unknown;
}

export interface AdminContext {
  dataset: Dataset;
  webhooks: SandboxWebhooks;
  now: () => number;
}

/** The answer to `method` on `/sandbox/<parts>`; throws ApiError for a bad request. */
export function routeAdmin(method: string, parts: readonly string[], body: unknown, ctx: AdminContext): AdminAnswer {
  const [name, id, ...extra] = parts;
  if (extra.length > 0) throw new ApiError(404, 'NOT_FOUND', 'No such sandbox endpoint');
  if (name === 'webhooks' && id === undefined) return webhooks(method, body, ctx);
  if (name === 'agents') return id === undefined ? only(method, 'POST', () => createAgent(ctx, body)) : agent(method, id, body, ctx);
  if (name === 'groups') return id === undefined ? only(method, 'POST', () => createGroup(ctx, body)) : group(method, id, body, ctx);
  throw new ApiError(404, 'NOT_FOUND', 'No such sandbox endpoint');
}

function only(method: string, allowed: string, run: () => AdminAnswer): AdminAnswer {
  if (method !== allowed) throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here`, { Allow: allowed });
  return run();
}

function webhooks(method: string, body: unknown, { webhooks: hooks }: AdminContext): AdminAnswer {
  if (method === 'GET') return { status: 200, body: { publicKey: hooks.publicKey, url: hooks.url, deliveries: hooks.deliveries } };
  return only(method, 'PUT', () => {
    const { url } = asObject(body);
    if (url !== null && (typeof url !== 'string' || !URL.canParse(url))) throw invalidValue('url must be an absolute URL or null');
    hooks.sendTo(url);
    return { status: 200, body: { publicKey: hooks.publicKey, url } };
  });
}

const AGENT_FIELDS = ['first_name', 'last_name', 'email', 'biography', 'timezone', 'locale'] as const;

function agentFields(ctx: AdminContext, input: Record<string, unknown>): Partial<Freshchat.Agent> {
  const fields: Partial<Freshchat.Agent> = {};
  for (const key of AGENT_FIELDS) {
    const value = input[key];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') throw invalidValue(`${key} must be a string or null`);
    fields[key] = value;
  }
  if (input.role_id !== undefined) {
    const role = ctx.dataset.roles.find((r) => r.id === input.role_id);
    if (!role) throw invalidValue('role_id must name an existing role');
    Object.assign(fields, { role_id: role.id, role_name: role.name });
  }
  if (input.groups !== undefined) {
    const groups = input.groups;
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string' && ctx.dataset.groups.some((known) => known.id === g))) {
      throw invalidValue('groups must be a list of existing group ids');
    }
    fields.groups = [...new Set(groups as string[])];
  }
  if (input.is_deactivated !== undefined) {
    if (typeof input.is_deactivated !== 'boolean') throw invalidValue('is_deactivated must be true or false');
    fields.is_deactivated = input.is_deactivated;
  }
  if (input.availability_status !== undefined) {
    if (input.availability_status !== 'AVAILABLE' && input.availability_status !== 'UNAVAILABLE') throw invalidValue('availability_status must be AVAILABLE or UNAVAILABLE');
    fields.availability_status = input.availability_status;
  }
  return fields;
}

function createAgent(ctx: AdminContext, body: unknown): AdminAnswer {
  const input = asObject(body);
  if (typeof input.email !== 'string' || input.email.trim() === '') throw invalidValue('email is required');
  const role = ctx.dataset.roles.find((r) => r.id === 'AGENT') ?? ctx.dataset.roles.at(-1);
  const agent: Freshchat.Agent = {
    id: randomUUID(),
    email: input.email,
    first_name: null,
    last_name: null,
    role_id: role?.id ?? null,
    role_name: role?.name ?? null,
    groups: [],
    is_deactivated: false,
    is_deleted: false,
    availability_status: 'AVAILABLE',
    created_time: new Date(ctx.now()).toISOString(),
    ...agentFields(ctx, input),
  };
  ctx.dataset.agents.push(agent);
  return { status: 201, body: agent };
}

function agent(method: string, id: string, body: unknown, ctx: AdminContext): AdminAnswer {
  const index = ctx.dataset.agents.findIndex((a) => a.id === id);
  const found = ctx.dataset.agents[index];
  if (!found) throw new ApiError(404, 'AGENT_NOT_FOUND', 'This agent does not exist');
  if (method === 'DELETE') {
    ctx.dataset.agents.splice(index, 1);
    return { status: 204, body: undefined };
  }
  return only(method, 'PATCH', () => {
    Object.assign(found, agentFields(ctx, asObject(body)));
    return { status: 200, body: found };
  });
}

function groupFields(input: Record<string, unknown>): Partial<Freshchat.Group> {
  const fields: Partial<Freshchat.Group> = {};
  if (input.name !== undefined) {
    if (typeof input.name !== 'string' || input.name.trim() === '') throw invalidValue('name must be a non-empty string');
    fields.name = input.name;
  }
  if (input.description !== undefined) {
    if (input.description !== null && typeof input.description !== 'string') throw invalidValue('description must be a string or null');
    fields.description = input.description;
  }
  return fields;
}

function createGroup(ctx: AdminContext, body: unknown): AdminAnswer {
  const input = asObject(body);
  if (typeof input.name !== 'string') throw invalidValue('name is required');
  const group: Freshchat.Group = { id: randomUUID(), name: input.name, description: null, routing_type: 'DISABLED', ...groupFields(input) };
  ctx.dataset.groups.push(group);
  return { status: 201, body: group };
}

function group(method: string, id: string, body: unknown, ctx: AdminContext): AdminAnswer {
  const index = ctx.dataset.groups.findIndex((g) => g.id === id);
  const found = ctx.dataset.groups[index];
  if (!found) throw new ApiError(404, 'GROUP_NOT_FOUND', 'This group does not exist');
  if (method === 'DELETE') {
    ctx.dataset.groups.splice(index, 1);
    for (const member of ctx.dataset.agents) if (member.groups?.includes(id)) member.groups = member.groups.filter((g) => g !== id);
    return { status: 204, body: undefined };
  }
  return only(method, 'PATCH', () => {
    Object.assign(found, groupFields(asObject(body)));
    return { status: 200, body: found };
  });
}
