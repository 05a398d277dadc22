import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

describe('sandbox write endpoints', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ tokens: { 'read-only': ['user:read', 'agent:read'] }, token: 'sandbox-token' });
  });
  afterAll(() => sandbox.close());

  const send = async (method: string, path: string, body?: unknown, token = sandbox.token) => {
    const res = await fetch(`${sandbox.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it.each([
    [{ email: 'not an email' }, 'email is not a valid email address'],
    [{ phone: 'call me' }, 'phone is not a valid phone number'],
    [{ first_name: 'x'.repeat(256) }, 'first_name must be a string of at most 255 characters'],
    [{ properties: [{ name: '1x', value: 'v' }] }, 'properties[].name must be a letter followed by letters, digits or underscores'],
    [{ avatar: { url: 'ftp://x' } }, 'avatar.url must be an http(s) URL'],
    [[1, 2], 'The body must be a JSON object'],
  ])('answers POST /users %j with 400 INVALID_VALUE', async (body, message) => {
    expect(await send('POST', '/users', body)).toEqual({ status: 400, body: { code: 400, status: 'INVALID_VALUE', message } });
  });

  it('creates a user (201) that GET /users/{id} and the email filter then find', async () => {
    const created = await send('POST', '/users', { email: 'new@example.com', reference_id: 'crm-new' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await send('GET', `/users/${id}`)).body).toMatchObject({ id, email: 'new@example.com' });
    expect((await send('GET', '/users?email=new@example.com')).body).toMatchObject({ users: [{ id }] });
    expect((await send('POST', '/users', { reference_id: 'crm-new' })).status).toBe(409);
  });

  it('needs the write scope: a read-only token gets 403', async () => {
    expect((await send('POST', '/users', { email: 'a@example.com' }, 'read-only')).status).toBe(403);
  });

  it('answers PATCH /agents/{id} with the changed fields only', async () => {
    const agent = sandbox.dataset.agents.find((a) => !a.is_deactivated)!;
    const res = await send('PATCH', `/agents/${agent.id}`, { availability_status: 'UNAVAILABLE' });
    expect(res).toEqual({ status: 200, body: { availability_status: 'UNAVAILABLE', agent_status: agent.agent_status ?? null } });
    expect((await send('PATCH', `/agents/${agent.id}`, { availability_status: 'AWAY' })).status).toBe(400);
  });

  it('accepts DELETE /agents/{id} with 202 and deletes the agent only when deletions are processed', async () => {
    const agent = sandbox.dataset.agents[3]!;
    expect(await send('DELETE', `/agents/${agent.id}`)).toEqual({
      status: 202,
      body: { code: 202, status: 'ACCEPTED', message: 'Agent deletion request accepted' },
    });
    expect((await send('GET', `/agents/${agent.id}`)).status).toBe(200);
    expect(sandbox.pendingDeletions).toBe(1);
    sandbox.completeDeletions();
    expect((await send('GET', `/agents/${agent.id}`)).status).toBe(404);
  });

  it('answers a method an endpoint does not take with 405', async () => {
    expect((await send('POST', '/agents', {})).status).toBe(405);
    expect((await send('DELETE', '/nowhere')).status).toBe(404);
  });
});
