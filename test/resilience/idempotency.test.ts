import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configuredAccount, type Account } from '../../src/account.js';
import { loadConfig } from '../../src/config.js';
import { FreshchatError } from '../../src/errors.js';
import { decodeUser } from '../../src/resources/contacts.js';
import { z } from 'zod';
import { decoderOf } from '../../src/freshchat/decode.js';
import { createDispatcher } from '../../src/freshchat/http.js';
import { createTransport, type Call, type Send } from '../../src/freshchat/transport.js';
import type * as Freshchat from '../../src/resources/wire.js';
import { createResilience, type Resilience } from '../../src/resilience/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { Secret } from '../../src/secret.js';

// Writes come later; the rule is set now: a guarded call that is not idempotent is sent at most once.
const createUser: Call<Freshchat.User> = { method: 'POST', path: '/users', body: { email: 'new@example.com' }, idempotent: false, decode: decodeUser };
const listUsers: Call<Freshchat.UserList> = { method: 'GET', path: '/users', query: { created_from: '1970-01-01T00:00:00.000Z' }, idempotent: true, decode: decoderOf(z.looseObject({ users: z.array(z.unknown()) }), 'a user list') };

const quiet = { info: () => {}, warn: () => {} };

describe('non-idempotent calls under the resilience layer', () => {
  let sandbox: Sandbox;
  let resilience: Resilience;
  let send: Send;
  const dispatcher = createDispatcher(loadConfig({}).upstream);

  beforeEach(async () => {
    sandbox = await startSandbox();
    const account: Account = configuredAccount({ id: 'acme', baseUrl: sandbox.baseUrl, token: new Secret(sandbox.token) });
    const config = loadConfig({ FRESHCHAT_RETRY_BUDGET: '500', FRESHCHAT_BREAKER_FAILURES: '3', FRESHCHAT_RATE_LIMIT_PER_MINUTE: '60000' });
    resilience = createResilience(config.resilience, { log: quiet, catalogTtlMs: 0 });
    const retry = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5 };
    send = createTransport({ account, dispatcher, retry, guard: resilience.forAccount(account), deadline: Date.now() + 10_000 });
  });
  afterEach(async () => {
    await resilience.close();
    await sandbox.close();
  });
  afterAll(() => dispatcher.close());

  const failure = async (pending: Promise<unknown>) => pending.then(() => undefined, (error: unknown) => error as FreshchatError);

  it.each([
    ['a 503', { kind: 'status', status: 503 }],
    ['a 429', { kind: 'status', status: 429, retryAfter: 0 }],
    ['a connection reset', { kind: 'reset' }],
  ] as const)('sends a write once after %s, with retry budget to spare', async (_name, fault) => {
    sandbox.inject({ fault, match: '/v2/users' });
    expect(await failure(send(createUser))).toBeInstanceOf(FreshchatError);
    expect(sandbox.calls).toHaveLength(1);
  });

  it('retries the idempotent read in the same situation (the contrast)', async () => {
    sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/users', times: 2 });
    await expect(send(listUsers)).resolves.toMatchObject({ users: expect.any(Array) });
    expect(sandbox.calls).toHaveLength(3);
  });

  it('refuses a write without sending it while the circuit is open', async () => {
    sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/users' });
    await failure(send(listUsers)); // three failed attempts open the /users circuit
    const sent = sandbox.calls.length;
    expect(await failure(send(createUser))).toMatchObject({ kind: 'UNAVAILABLE', message: expect.stringContaining('circuit open') });
    expect(sandbox.calls).toHaveLength(sent);
  });

  it('refuses a write without sending it while a Retry-After holds the account', async () => {
    sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 60 }, match: '/v2/users', times: 1 });
    await failure(send(listUsers));
    expect(await failure(send(createUser))).toMatchObject({ kind: 'RATE_LIMITED', retryAfter: 60 });
    expect(sandbox.calls).toHaveLength(1);
  });
});
