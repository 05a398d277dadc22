import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FreshchatError } from '../../src/errors.js';
import type { AccountGuard, AttemptRequest } from '../../src/freshchat/guard.js';
import { createCallCeiling } from '../../src/resilience/call-ceiling.js';

const request: AttemptRequest = { family: 'agents', idempotent: true, signal: undefined, deadline: undefined };
const budget = { spend: () => 5, refund: () => undefined };

/** An account guard that admits, or refuses with RATE_LIMITED, as told, and counts what it admits. */
function innerGuard(refuse: () => boolean) {
  let admitted = 0;
  const guard: AccountGuard = {
    budget,
    async enter() {
      if (refuse()) throw new FreshchatError('RATE_LIMITED', 'quota');
      admitted += 1;
      return { release: async () => undefined };
    },
  };
  return { guard, admitted: () => admitted };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a refusal'),
    (error: unknown) => error,
  );
}

describe('createCallCeiling', () => {
  it('admits up to the ceiling and refuses the next attempt with a typed error', async () => {
    const guard = createCallCeiling(2).guard(undefined);
    await guard.enter(request);
    await guard.enter(request);
    const refused = await rejectionOf(guard.enter(request));
    expect(refused).toBeInstanceOf(GraphQLError);
    expect((refused as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'upstreamCalls', max: 2 });
  });

  it('shares one count between the guards of every account of the request', async () => {
    const ceiling = createCallCeiling(3);
    const a = innerGuard(() => false);
    const b = innerGuard(() => false);
    await Promise.all([ceiling.guard(a.guard).enter(request), ceiling.guard(b.guard).enter(request), ceiling.guard(a.guard).enter(request)]);
    await expect(rejectionOf(ceiling.guard(b.guard).enter(request))).resolves.toBeDefined();
    expect(a.admitted() + b.admitted()).toBe(3);
  });

  it('does not count an attempt the account guard refused, which was never sent', async () => {
    let refuse = true;
    const inner = innerGuard(() => refuse);
    const guard = createCallCeiling(1).guard(inner.guard);
    await expect(rejectionOf(guard.enter(request))).resolves.toBeInstanceOf(FreshchatError);
    refuse = false;
    await guard.enter(request);
    expect(inner.admitted()).toBe(1);
  });

  it('keeps the account guard’s retry budget, and pays nothing for retries without one', () => {
    expect(createCallCeiling(1).guard(innerGuard(() => false).guard).budget).toBe(budget);
    expect(createCallCeiling(1).guard(undefined).budget.spend(true)).toBe(0);
  });
});
