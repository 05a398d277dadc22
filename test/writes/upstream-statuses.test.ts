import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../src/sandbox/index.js';
import { globalId, startHarness, type Harness } from '../support/harness.js';
import { FAST_FAULT_ENV } from '../support/upstream-faults.js';
import { ADA, CREATE_USER, SET_AVAILABILITY, UPDATE_USER, type AvailabilityPayload, type UserPayload } from './operations.js';

type Created = { freshchatCreateUser: UserPayload | null };

/** Freshchat's 400/404/409/422 are the caller's input: userErrors with our message, never UPSTREAM_*. */
const CALLER_STATUSES = [
  { status: 400, code: 'REJECTED', field: ['input'], message: "Freshchat rejected the contact's input (400 INVALID_VALUE)." },
  { status: 404, code: 'NOT_FOUND', field: null, message: 'Freshchat has no such contact (404 NOT_FOUND).' },
  { status: 409, code: 'CONFLICT', field: ['input'], message: 'Freshchat refused the contact because it conflicts with another one (an email or externalId already taken) (409 CONFLICT).' },
  { status: 422, code: 'REJECTED', field: ['input'], message: "Freshchat rejected the contact's input (422 UNPROCESSABLE_ENTITY)." },
];

/** Everything else is an error saying what is known of the write; none is ever sent twice. */
const OTHER_FAULTS: { name: string; fault: Fault; code: string; writeOutcome: string }[] = [
  { name: '401', fault: { kind: 'status', status: 401 }, code: 'UNAUTHENTICATED', writeOutcome: 'NOT_DONE' },
  { name: '403', fault: { kind: 'status', status: 403 }, code: 'FORBIDDEN', writeOutcome: 'NOT_DONE' },
  { name: '429', fault: { kind: 'status', status: 429, retryAfter: 0 }, code: 'RATE_LIMITED', writeOutcome: 'NOT_DONE' },
  { name: '500', fault: { kind: 'status', status: 500 }, code: 'UPSTREAM_UNAVAILABLE', writeOutcome: 'UNKNOWN' },
  { name: '503', fault: { kind: 'status', status: 503 }, code: 'UPSTREAM_UNAVAILABLE', writeOutcome: 'UNKNOWN' },
  { name: 'a timeout', fault: { kind: 'hang' }, code: 'UPSTREAM_UNAVAILABLE', writeOutcome: 'UNKNOWN' },
  { name: 'a reset mid-answer', fault: { kind: 'reset' }, code: 'UPSTREAM_UNAVAILABLE', writeOutcome: 'UNKNOWN' },
  { name: 'an HTML page', fault: { kind: 'html' }, code: 'UPSTREAM_BAD_RESPONSE', writeOutcome: 'UNKNOWN' },
];

describe('what a contact write answers for each Freshchat status', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: FAST_FAULT_ENV });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.resetCalls();
    h.sandbox.clearFaults();
  });

  it.each(CALLER_STATUSES)('turns a $status into a $code userErrors entry with our own message', async ({ status, code, field, message }) => {
    h.sandbox.inject({ fault: { kind: 'status', status }, match: '/v2/users', times: 1 });
    const res = await h.query<Created>(CREATE_USER, { input: ADA });
    expect(res.errors).toBeUndefined();
    expect(res.data!.freshchatCreateUser).toEqual({ user: null, userErrors: [{ field, code, message }] });
    expect(JSON.stringify(res)).not.toContain('Injected fault');
  });

  it.each(OTHER_FAULTS)('sends the write once on $name and reports $code with writeOutcome $writeOutcome', async ({ fault, code, writeOutcome }) => {
    h.sandbox.inject({ fault, match: '/v2/users', times: 1 });
    const res = await h.query<Created>(CREATE_USER, { input: ADA });
    expect(res.data!.freshchatCreateUser).toBeNull();
    expect(res.errors!.map((e) => [e.path, e.extensions?.code, e.extensions?.writeOutcome])).toEqual([[['freshchatCreateUser'], code, writeOutcome]]);
    expect(h.sandbox.calls.map((c) => c.method)).toEqual(['POST']);
  });

  it('says an unconfirmed write may have been applied and was not retried', async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/users', times: 1 });
    const res = await h.query<Created>(CREATE_USER, { input: ADA });
    expect(res.errors![0]!.message).toBe(
      'Freshchat answered 503, so whether it applied this write is unknown. It was sent once and not retried: read the object before writing again.',
    );
  });

  it('turns a 409 on an availability change into CONFLICT (Freshchat refuses it for an offline agent)', async () => {
    const agent = h.sandbox.dataset.agents.find((a) => a.is_deactivated)!;
    const res = await h.query<{ freshchatSetTicketingUserAvailability: AvailabilityPayload }>(SET_AVAILABILITY, {
      id: globalId('FreshchatTicketingUser', agent.id),
      availability: 'AVAILABLE',
    });
    expect(res.data!.freshchatSetTicketingUserAvailability.userErrors.map((e) => [e.field, e.code])).toEqual([[['availability'], 'CONFLICT']]);
  });

  it("answers the sandbox's own 409 for a taken externalId as CONFLICT", async () => {
    const taken = h.sandbox.dataset.users.find((u) => u.reference_id)!;
    const id = globalId('FreshchatUser', h.sandbox.dataset.users[5]!.id);
    const res = await h.query<{ freshchatUpdateUser: UserPayload }>(UPDATE_USER, { id, input: { externalId: taken.reference_id } });
    expect(res.data!.freshchatUpdateUser.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
  });
});

describe('a write refused before sending', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ resilience: true, env: { ...FAST_FAULT_ENV, FRESHCHAT_BREAKER_FAILURES: '1', FRESHCHAT_BREAKER_COOLDOWN_MS: '600000' } });
  });
  afterAll(() => h.close());

  it('reports NOT_SENT while the circuit is open, with no call to Freshchat', async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/users', times: 1 });
    const first = await h.query<Created>(CREATE_USER, { input: ADA });
    expect(first.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', writeOutcome: 'UNKNOWN' });
    h.sandbox.resetCalls();
    const second = await h.query<Created>(CREATE_USER, { input: ADA });
    expect(second.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', writeOutcome: 'NOT_SENT' });
    expect(h.sandbox.calls).toEqual([]);
  });
});
