/**
 * The fake-clock driver of the resilience suites (support/clock.ts with the harness's `busy`): the
 * clock may jump only while every query is parked on a timer, never while one is still on its way
 * in. A busy CI machine is played by a plugin that spends many real event-loop turns before
 * execution, as a loaded machine does while parsing, validating and building a context.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../src/context.js';
import { onFakeClock, useFakeClock } from './support/clock.js';
import { AGENTS_QUERY, withHarness } from './support/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => void vi.useRealTimers());

/** Real event-loop turns (setImmediate is never faked) spent before the operation executes. */
const slowStart = (turns: number): ApolloServerPlugin<Context> => ({
  async requestDidStart() {
    return {
      async didResolveOperation() {
        for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
      },
    };
  },
});

describe('the fake-clock driver', () => {
  it('keeps the clock still while a slow machine is still preparing a query', () =>
    withHarness({ env: { REQUEST_DEADLINE_MS: '2000' }, plugins: [slowStart(300)] }, (h) =>
      onFakeClock(
        (async () => {
          const started = Date.now();
          const res = await h.query(AGENTS_QUERY);
          expect(res.errors).toBeUndefined(); // not cut by its own deadline, reached by a jump
          expect(Date.now() - started).toBe(0);
        })(),
        h.busy,
      ),
    ));
});
