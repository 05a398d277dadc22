import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registryDataDir } from '../support/data-dir.js';
import { startHarness, type Harness } from '../support/harness.js';
import { FAST_FAULT_ENV } from '../support/upstream-faults.js';
import { ADA, CREATE_USER, type UserPayload } from './operations.js';

/** A contact no earlier test created (the sandbox refuses a taken externalId with 409). */
const contact = (name: string) => ({ ...ADA, externalId: `crm-${name}`, email: `${name}@example.com` });

type Created = { freshchatCreateUser: UserPayload | null };

describe('idempotency keys over the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...FAST_FAULT_ENV, DATA_DIR: await registryDataDir() } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.resetCalls();
    h.sandbox.clearFaults();
  });
  const posts = () => h.sandbox.calls.filter((c) => c.method === 'POST').length;

  it('answers a repeat with the first result and writes once', async () => {
    const first = await h.query<Created>(CREATE_USER, { input: contact('replay-1'), key: 'replay-1' });
    const again = await h.query<Created>(CREATE_USER, { input: contact('replay-1'), key: 'replay-1' });
    expect(again).toEqual(first);
    expect(first.data!.freshchatCreateUser!.user).not.toBeNull();
    expect(posts()).toBe(1);
  });

  it('treats a different key order or an explicit null as the same input', async () => {
    await h.query<Created>(CREATE_USER, { input: { email: 'order@example.com', firstName: 'O' }, key: 'order-1' });
    const again = await h.query<Created>(CREATE_USER, { input: { firstName: 'O', email: 'order@example.com', phone: null }, key: 'order-1' });
    expect(again.data!.freshchatCreateUser!.userErrors).toEqual([]);
    expect(posts()).toBe(1);
  });

  it('refuses the same key with another input as IDEMPOTENCY_KEY_REUSED, without writing', async () => {
    await h.query<Created>(CREATE_USER, { input: contact('reuse-1'), key: 'reuse-1' });
    const other = await h.query<Created>(CREATE_USER, { input: { ...contact('reuse-1'), firstName: 'Augusta' }, key: 'reuse-1' });
    expect(other.data!.freshchatCreateUser).toEqual({
      user: null,
      userErrors: [{ field: ['idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED', message: 'This idempotencyKey was used for a different write; use a new key for this one.' }],
    });
    expect(posts()).toBe(1);
  });

  it('keeps keys per account: the same key on another mutation is a different write', async () => {
    await h.query<Created>(CREATE_USER, { input: contact('shared-1'), key: 'shared-1' });
    const res = await h.query(`mutation { freshchatDeleteUser(id: "garbage", idempotencyKey: "shared-1") { userErrors { code } } }`);
    expect(res.data).toEqual({ freshchatDeleteUser: { userErrors: [{ code: 'INVALID_ID' }] } });
  });

  it('makes exactly one upstream write for 10 concurrent requests with one key, and all get its result', async () => {
    // Freshchat is slow to answer, so all 10 arrive while the first write is in flight.
    h.sandbox.inject({ fault: { kind: 'latency', ms: 300 }, match: '/v2/users', times: 1 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.query<Created>(CREATE_USER, { input: contact('race-1'), key: 'race-1' })));
    expect(posts()).toBe(1);
    const ids = new Set(answers.map((a) => a.data!.freshchatCreateUser!.user!.id));
    expect(ids.size).toBe(1);
    expect(answers.every((a) => a.errors === undefined)).toBe(true);
  });

  it('replays a write whose outcome is unknown as that same error, never sending it again', async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/users', times: 1 });
    const first = await h.query<Created>(CREATE_USER, { input: contact('unknown-1'), key: 'unknown-1' });
    const again = await h.query<Created>(CREATE_USER, { input: contact('unknown-1'), key: 'unknown-1' });
    expect(first.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', writeOutcome: 'UNKNOWN' });
    expect(again.errors!.map((e) => e.extensions?.writeOutcome)).toEqual(['UNKNOWN']);
    expect(posts()).toBe(1);
  });

  it('frees the key when Freshchat refused the write (429), so a repeat writes', async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 429, retryAfter: 0 }, match: '/v2/users', times: 1 });
    const refused = await h.query<Created>(CREATE_USER, { input: contact('refused-1'), key: 'refused-1' });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', writeOutcome: 'NOT_DONE' });
    const again = await h.query<Created>(CREATE_USER, { input: contact('refused-1'), key: 'refused-1' });
    expect(again.data!.freshchatCreateUser!.user).not.toBeNull();
    expect(posts()).toBe(2);
  });

  it("keeps Freshchat's refusal of the input (400) for the key: a repeat answers it again without writing", async () => {
    h.sandbox.inject({ fault: { kind: 'status', status: 400 }, match: '/v2/users', times: 1 });
    const first = await h.query<Created>(CREATE_USER, { input: contact('rejected-1'), key: 'rejected-1' });
    const again = await h.query<Created>(CREATE_USER, { input: contact('rejected-1'), key: 'rejected-1' });
    expect(again).toEqual(first);
    expect(first.data!.freshchatCreateUser!.userErrors.map((e) => e.code)).toEqual(['REJECTED']);
    expect(posts()).toBe(1);
  });
});
