import { createAccountTransports } from '../../src/freshchat/account-transport.js';
import { configuredAccount } from '../../src/account.js';
import { describe, expect, it } from 'vitest';
import { FreshchatError } from '../../src/errors.js';
import { checkReadiness, createReadinessProbe, type Readiness } from '../../src/readiness.js';
import { circuitOpen, quotaSpent } from '../../src/resilience/errors.js';
import type { AccountGuard } from '../../src/freshchat/guard.js';
import { Secret } from '../../src/secret.js';
import { Agent } from 'undici';
import { startSubgraph } from './server.js';

const READY: Readiness = { ready: true };

function deferredCheck() {
  let calls = 0;
  const pending: ((r: Readiness) => void)[] = [];
  const check = () => {
    calls += 1;
    return new Promise<Readiness>((resolve) => pending.push(resolve));
  };
  return { check, calls: () => calls, settle: (r: Readiness) => pending.splice(0).forEach((resolve) => resolve(r)) };
}

describe('createReadinessProbe', () => {
  it('shares one check among concurrent callers (single-flight)', async () => {
    const d = deferredCheck();
    const probe = createReadinessProbe(d.check, 5_000, () => 0);
    const answers = Promise.all(Array.from({ length: 40 }, () => probe()));
    d.settle(READY);
    expect(await answers).toEqual(Array.from({ length: 40 }, () => READY));
    expect(d.calls()).toBe(1);
  });

  it('reuses a verdict within the interval and checks again after it', async () => {
    let now = 0;
    const d = deferredCheck();
    const probe = createReadinessProbe(d.check, 5_000, () => now);
    const first = probe();
    d.settle(READY);
    await first;
    now = 4_999;
    await probe();
    expect(d.calls()).toBe(1);
    now = 5_000;
    const second = probe();
    d.settle({ ready: false, reason: 'down' });
    expect(await second).toEqual({ ready: false, reason: 'down' });
    expect(d.calls()).toBe(2);
  });

  it('never starts a second check while one is in flight, however long it takes', async () => {
    let now = 0;
    const d = deferredCheck();
    const probe = createReadinessProbe(d.check, 5_000, () => now);
    const first = probe();
    now = 60_000;
    const second = probe();
    d.settle(READY);
    await Promise.all([first, second]);
    expect(d.calls()).toBe(1);
  });
});

const ONCE = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

describe('checkReadiness reasons', () => {
  const account = configuredAccount({ id: 'acme', baseUrl: 'http://127.0.0.1:9/v2', token: new Secret('t') });
  const refusing = (error: FreshchatError): AccountGuard => ({
    budget: { spend: () => undefined, refund: () => undefined },
    enter: () => Promise.reject(error),
  });
  const probe = (guard: AccountGuard) =>
    checkReadiness(account, createAccountTransports({ dispatcher: new Agent(), retry: ONCE, guardOf: () => guard }), 1_000);

  it('reports a local quota refusal as such, not as a Freshchat 429', async () => {
    const readiness = await probe(refusing(quotaSpent(5_000)));
    expect(readiness).toMatchObject({ ready: false, reason: expect.stringContaining('refused locally, nothing sent') });
    expect(readiness).not.toMatchObject({ reason: expect.stringContaining('(429)') });
  });

  it('reports an open circuit as a local refusal', async () => {
    expect(await probe(refusing(circuitOpen('accounts', 30_000)))).toMatchObject({ reason: expect.stringContaining('circuit open') });
  });
});

describe('GET /ready under load', () => {
  it('answers 40 concurrent probes with one call to Freshchat, all ready', async () => {
    const s = await startSubgraph({ READY_CACHE_MS: '5000' });
    try {
      s.subgraph.sandbox!.resetCalls();
      const statuses = await Promise.all(Array.from({ length: 40 }, () => fetch(`${s.base}/ready`).then((res) => res.status)));
      expect(statuses).toEqual(Array.from({ length: 40 }, () => 200));
      expect(s.subgraph.sandbox!.calls.filter((call) => call.path.startsWith('/v2/accounts'))).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
