import { afterEach, describe, expect, it } from 'vitest';
import { FreshchatError } from '../../src/errors.js';
import { deleteAgent, setAvailability } from '../../src/resources/agents.js';
import { createUser, deleteUser } from '../../src/resources/contacts.js';
import type { AccountGuard } from '../../src/freshchat/guard.js';
import { JSON_HEADERS, createHarness, failureOf, settle, user, type Harness } from '../freshchat/harness.js';

describe('Freshchat writes', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await settle(harness);
    harness = undefined;
  });

  it('reads a deletion answered 202 as PENDING, with or without a body', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/agents/a1', method: 'DELETE' }).reply(202, { code: 202, status: 'ACCEPTED', message: 'x' }, { headers: JSON_HEADERS });
    harness.upstream.intercept({ path: '/v2/users/u1', method: 'DELETE' }).reply(202, '');
    expect(await deleteAgent(harness.client, 'a1')).toBe('PENDING');
    expect(await deleteUser(harness.client, 'u1')).toBe('PENDING');
  });

  it('reads a deletion answered 204 or 200 as DONE', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/users/u1', method: 'DELETE' }).reply(204, '');
    harness.upstream.intercept({ path: '/v2/users/u2', method: 'DELETE' }).reply(200, { code: 200, status: 'OK', message: 'x' }, { headers: JSON_HEADERS });
    expect(await deleteUser(harness.client, 'u1')).toBe('DONE');
    expect(await deleteUser(harness.client, 'u2')).toBe('DONE');
  });

  it('sends the availability as Freshchat takes it', async () => {
    harness = createHarness();
    harness.upstream
      .intercept({ path: '/v2/agents/a%2Fb', method: 'PATCH', body: JSON.stringify({ availability_status: 'AVAILABLE' }) })
      .reply(200, { availability_status: 'AVAILABLE' }, { headers: JSON_HEADERS });
    expect(await setAvailability(harness.client, 'a/b', 'AVAILABLE')).toEqual({ availability_status: 'AVAILABLE' });
  });

  it('sends a write once on 503, where a read would be retried', async () => {
    harness = createHarness();
    harness.upstream.intercept({ path: '/v2/users', method: 'POST' }).reply(503, { code: 503, status: 'SERVICE_UNAVAILABLE', message: 'x' }, { headers: JSON_HEADERS });
    const error = await failureOf(createUser(harness.client, { email: user.email }));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', status: 503, sent: undefined });
    expect(harness.attempts).toHaveLength(1);
    expect(harness.sleeps).toEqual([]);
  });

  it('marks a write a limit refused as never sent', async () => {
    const guard: AccountGuard = {
      enter: async () => {
        throw new FreshchatError('RATE_LIMITED', 'quota spent', { retryAfter: 3 });
      },
      budget: { spend: () => 0, refund: () => undefined },
    };
    harness = createHarness({ guard });
    expect(await failureOf(createUser(harness.client, { email: user.email }))).toMatchObject({ kind: 'RATE_LIMITED', retryAfter: 3, sent: false });
    expect(harness.attempts).toEqual([]);
  });

  it('answers an id that cannot be a path segment as not found, sending nothing', async () => {
    harness = createHarness();
    expect(await failureOf(deleteUser(harness.client, '..'))).toMatchObject({ kind: 'NOT_FOUND', sent: false });
  });
});
