/**
 * The write endpoints of the sandbox (docs/freshchat-api.md#agents, docs/freshchat-api.md#contacts), changing the dataset in place so
 * that every later read sees them. Where the reference is silent the choice is marked [I]:
 * - `POST /users` answers 201 with the bare user; a `reference_id` already taken is 409 [I];
 * - `PUT /users/{id}` merges the body (properties by name) and answers 200 with the user;
 * - `DELETE /users/{id}` answers 202 and deletes later, by analogy with agents [I]
 *   (`userDeletion: 'immediate'` answers 200 and deletes at once instead);
 * - `PATCH /agents/{id}` sets `availability_status` and/or `agent_status`; a deactivated agent is 409 [I];
 * - `DELETE /agents/{id}` answers 202 ACCEPTED and the agent is gone once the deletion is processed
 *   (`Deletions`: by a timer, or when a test says so).
 */
import { randomUUID } from 'node:crypto';
import type * as Freshchat from '../resources/wire.js';
import type { Dataset } from './dataset.js';
import { ApiError, type Exchange } from './http.js';
import { invalidValue } from './paging.js';
import { readUserBody } from './user-body.js';

export const WRITE_SCOPES = ['user:create', 'user:update', 'user:delete', 'agent:update', 'agent:delete'] as const;

export interface WriteEndpoint {
  scope: string;
  /** The status and JSON body; may change the dataset. */
  run(body: unknown): { status: number; body: unknown };
}

/** Deletions accepted with 202 and done later: by a timer (`afterMs`), else when `complete()` is called. */
export class Deletions {
  private pending: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly afterMs: number | undefined) {}

  accept(apply: () => void): void {
    if (this.afterMs === undefined) return void this.pending.push(apply);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      apply();
    }, this.afterMs);
    this.timers.add(timer);
  }

  /** Processes every deletion accepted so far; returns how many. */
  complete(): number {
    const due = this.pending;
    this.pending = [];
    due.forEach((apply) => apply());
    return due.length;
  }

  get size(): number {
    return this.pending.length + this.timers.size;
  }

  close(): void {
    this.timers.forEach(clearTimeout);
    this.timers.clear();
  }
}

export interface WriteContext {
  dataset: Dataset;
  deletions: Deletions;
  userDeletion: 'accepted' | 'immediate';
  now: () => number;
}

/** The write endpoint of `method` and path segments, or undefined when there is none. */
export function writeEndpoint(method: string, parts: readonly string[], ctx: WriteContext): WriteEndpoint | undefined {
  const [name, id, ...extra] = parts;
  if (extra.length > 0) return undefined;
  if (name === 'users' && id === undefined && method === 'POST') return { scope: 'user:create', run: (body) => createUser(ctx, body) };
  if (name === 'users' && id !== undefined && method === 'PUT') return { scope: 'user:update', run: (body) => updateUser(ctx, id, body) };
  if (name === 'users' && id !== undefined && method === 'DELETE') return { scope: 'user:delete', run: () => deleteUser(ctx, id) };
  if (name === 'agents' && id !== undefined && method === 'PATCH') return { scope: 'agent:update', run: (body) => patchAgent(ctx, id, body) };
  if (name === 'agents' && id !== undefined && method === 'DELETE') return { scope: 'agent:delete', run: () => deleteAgent(ctx, id) };
  return undefined;
}

function createUser(ctx: WriteContext, body: unknown) {
  const fields = readUserBody(body);
  assertReferenceFree(ctx.dataset, fields.reference_id, undefined);
  const time = new Date(ctx.now()).toISOString();
  const user: Freshchat.User = { id: randomUUID(), ...fields, login_status: false, created_time: time, updated_time: time };
  ctx.dataset.users.push(user);
  return { status: 201, body: user };
}

function updateUser(ctx: WriteContext, id: string, body: unknown) {
  const user = findUser(ctx.dataset, id);
  const { properties, ...fields } = readUserBody(body);
  assertReferenceFree(ctx.dataset, fields.reference_id, id);
  Object.assign(user, fields, { updated_time: new Date(ctx.now()).toISOString() });
  if (properties) {
    const merged = new Map((user.properties ?? []).map((p) => [p.name, p]));
    for (const property of properties) merged.set(property.name, property);
    user.properties = [...merged.values()];
  }
  return { status: 200, body: user };
}

function deleteUser(ctx: WriteContext, id: string) {
  findUser(ctx.dataset, id);
  const remove = () => removeWhere(ctx.dataset.users, (u) => u.id === id);
  if (ctx.userDeletion === 'immediate') {
    remove();
    return { status: 200, body: { code: 200, status: 'OK', message: 'User deleted' } };
  }
  ctx.deletions.accept(remove);
  return { status: 202, body: { code: 202, status: 'ACCEPTED', message: 'User deletion request accepted' } };
}

function patchAgent(ctx: WriteContext, id: string, body: unknown) {
  const agent = findAgent(ctx.dataset, id);
  const { availability_status: availability, agent_status: status } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const statusId = typeof status === 'object' && status !== null ? (status as { id?: unknown }).id : undefined;
  if (availability === undefined && status === undefined) throw invalidValue('availability_status or agent_status is required');
  if (availability !== undefined && availability !== 'AVAILABLE' && availability !== 'UNAVAILABLE') throw invalidValue('availability_status must be AVAILABLE or UNAVAILABLE');
  if (status !== undefined && typeof statusId !== 'string') throw invalidValue('agent_status.id must be a string');
  if (agent.is_deactivated) throw new ApiError(409, 'AGENT_DEACTIVATED', 'The agent is deactivated');
  if (availability !== undefined) agent.availability_status = availability;
  // agent_status takes precedence over availability_status when both are sent (docs/freshchat-api.md#agents).
  if (typeof statusId === 'string') agent.agent_status = { id: statusId, name: agent.agent_status?.id === statusId ? agent.agent_status.name : null };
  return { status: 200, body: { availability_status: agent.availability_status, agent_status: agent.agent_status ?? null } };
}

function deleteAgent(ctx: WriteContext, id: string) {
  findAgent(ctx.dataset, id);
  ctx.deletions.accept(() => removeWhere(ctx.dataset.agents, (a) => a.id === id));
  return { status: 202, body: { code: 202, status: 'ACCEPTED', message: 'Agent deletion request accepted' } };
}

/** In place: tests and list handlers hold the dataset's arrays. */
function removeWhere<T>(items: T[], match: (item: T) => boolean): void {
  const index = items.findIndex(match);
  if (index >= 0) items.splice(index, 1);
}

function findUser(dataset: Dataset, id: string): Freshchat.User {
  const user = dataset.users.find((u) => u.id === id);
  if (!user) throw new ApiError(404, 'USER_NOT_FOUND', 'This user does not exist');
  return user;
}

function findAgent(dataset: Dataset, id: string): Freshchat.Agent {
  const agent = dataset.agents.find((a) => a.id === id);
  if (!agent) throw new ApiError(404, 'AGENT_NOT_FOUND', 'This agent does not exist');
  return agent;
}

function assertReferenceFree(dataset: Dataset, referenceId: string | null | undefined, except: string | undefined): void {
  if (referenceId == null) return;
  if (dataset.users.some((u) => u.reference_id === referenceId && u.id !== except)) {
    throw new ApiError(409, 'USER_ALREADY_EXISTS', 'A user with this reference_id already exists');
  }
}

/** The request body as JSON: at most 1 MB; none is `undefined`. */
export async function readBody(ex: Exchange): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ex.req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The body is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw invalidValue('The body is not valid JSON');
  }
}
