import { MockAgent } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Account } from '../../src/account.js';
import { createAccountTransports, type TransportUse } from '../../src/freshchat/account-transport.js';
import type { AccountGuard, AttemptRequest } from '../../src/freshchat/guard.js';
import { startDeadline } from '../../src/freshchat/signals.js';
import { decodeConfiguration } from '../../src/freshchat/decode.js';
import { createCallCeiling } from '../../src/resilience/call-ceiling.js';
import { account, JSON_HEADERS, ORIGIN } from './harness.js';

/** Every caller builds an account's transport through one factory: what each kind of use gets. */
const RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 };
const CONFIGURATION = { app_id: 'a', account_name: 'Acme', timezone: 'UTC' };

let mock: MockAgent;
afterEach(async () => {
  mock.assertNoPendingInterceptors();
  await mock.close();
});

function setup() {
  mock = new MockAgent();
  mock.disableNetConnect();
  const entered: AttemptRequest[] = [];
  const guard: AccountGuard = {
    budget: { spend: () => 0, refund: () => undefined },
    enter: async (request) => (entered.push(request), { release: async () => undefined }),
  };
  const observed: { account: string; status: number | undefined }[] = [];
  const transports = createAccountTransports({
    dispatcher: mock,
    retry: RETRY,
    guardOf: (_account: Account) => guard,
    observe: (target, info) => void observed.push({ account: target.id, status: info.status }),
  });
  const read = (use: Omit<TransportUse, 'deadline'>) =>
    transports.client(account, { deadline: startDeadline(5_000), ...use }).read('/accounts/configuration', decodeConfiguration);
  const answer = (status: number, times = 1) =>
    mock.get(ORIGIN).intercept({ path: '/v2/accounts/configuration' }).reply(status, status === 200 ? CONFIGURATION : { code: status }, { headers: JSON_HEADERS }).times(times);
  return { read, answer, entered, observed };
}

describe('an account transport', () => {
  it('for a call: retries by the policy, through the account guard, seen by the process and the use', async () => {
    const { read, answer, entered, observed } = setup();
    answer(503);
    answer(200);
    const mine: (number | undefined)[] = [];
    await read({ onAttempt: (info) => void mine.push(info.status) });
    expect(entered).toHaveLength(2);
    expect(observed).toEqual([{ account: 'acme', status: 503 }, { account: 'acme', status: 200 }]);
    expect(mine).toEqual([503, 200]);
  });

  it('for a probe: one attempt, never retried, still guarded and observed', async () => {
    const { read, answer, entered, observed } = setup();
    answer(503);
    await expect(read({ kind: 'probe' })).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    expect(entered).toHaveLength(1);
    expect(observed).toHaveLength(1);
  });

  it('for a candidate (credentials not linked yet): one attempt, no account guard, no process observer', async () => {
    const { read, answer, entered, observed } = setup();
    answer(401);
    await expect(read({ kind: 'candidate' })).rejects.toMatchObject({ kind: 'UNAUTHENTICATED' });
    expect(entered).toEqual([]);
    expect(observed).toEqual([]);
  });

  it("puts the request's call ceiling in front of the account guard", async () => {
    const { read, answer, entered } = setup();
    answer(503);
    // The retry is refused by the ceiling before the guard is asked; the caller learns what it was for.
    await expect(read({ ceiling: createCallCeiling(1) })).rejects.toMatchObject({ kind: 'UNAVAILABLE', status: 503 });
    expect(entered).toHaveLength(1);
  });

  it('stops a call at once when its caller is gone', async () => {
    const { read, entered } = setup();
    const gone = new AbortController();
    gone.abort(new DOMException('The caller disconnected', 'AbortError'));
    await expect(read({ callerGone: gone.signal })).rejects.toMatchObject({ kind: 'UNAVAILABLE', sent: false });
    expect(entered).toEqual([]);
  });

  it('builds nothing for a client that is never called: no guard is asked for until the first call', async () => {
    mock = new MockAgent();
    mock.disableNetConnect();
    const guardOf = vi.fn((_account: Account): AccountGuard => ({
      budget: { spend: () => 0, refund: () => undefined },
      enter: async () => ({ release: async () => undefined }),
    }));
    const transports = createAccountTransports({ dispatcher: mock, retry: RETRY, guardOf });
    const client = transports.client(account, { deadline: startDeadline(5_000) });
    expect(client.account).toBe(account);
    expect(guardOf).not.toHaveBeenCalled();
    mock.get(ORIGIN).intercept({ path: '/v2/accounts/configuration' }).reply(200, CONFIGURATION, { headers: JSON_HEADERS });
    await client.read('/accounts/configuration', decodeConfiguration);
    expect(guardOf).toHaveBeenCalledTimes(1);
  });
});

describe('a request deadline', () => {
  afterEach(() => vi.useRealTimers());

  it('fires at its time even when its signal is first asked for later', async () => {
    mock = new MockAgent();
    vi.useFakeTimers({ now: 0 });
    const deadline = startDeadline(1_000);
    vi.advanceTimersByTime(600);
    const { signal } = deadline;
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(399);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(signal.aborted).toBe(true);
    expect(deadline.at).toBe(1_000);
  });

  it('is already aborted when first asked for after its time', () => {
    mock = new MockAgent();
    vi.useFakeTimers({ now: 0 });
    const deadline = startDeadline(1_000);
    vi.advanceTimersByTime(1_500);
    vi.advanceTimersByTime(0);
    const { signal } = deadline;
    vi.advanceTimersByTime(0);
    expect(signal.aborted).toBe(true);
  });
});
