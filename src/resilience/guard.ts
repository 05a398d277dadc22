/**
 * The guard of one account's upstream attempts (the port in src/freshchat/guard.ts), in this order:
 * 1. the endpoint family's circuit breaker: refuse at once while open (nothing is sent);
 * 2. a concurrency slot (FIFO, bounded queue): so a slow Freshchat is not flooded;
 * 3. a turn in the request quota: wait while the wait fits the deadline, else RATE_LIMITED.
 * A turn is taken last, right before sending, so quota turns match the requests Freshchat sees.
 * After the attempt: the breaker hears its verdict (a 429 is not a failure: Freshchat answered) and
 * the quota learns from its status and headers (a 429 may lower the account's adaptive rate).
 */
import type { AccountGuard, AttemptReport, Permit } from '../freshchat/guard.js';
import type { RetryBudget } from '../freshchat/retry.js';
import { deadlineError } from '../freshchat/transport.js';
import type { Breaker, Ticket } from './breaker.js';
import { circuitOpen, tooManyWaiting } from './errors.js';
import type { Quota } from './quota.js';
import { SemaphoreError, type Release, type Semaphore } from './semaphore.js';

export interface GuardParts {
  quota: Quota;
  slots: Semaphore;
  budget: RetryBudget;
  breakerFor(family: string): Breaker;
  /** Counts attempts between admission and release (Resilience.inFlight). */
  gauge?: { inFlight: number };
  /** The quota priority of these calls: callers' 0 by default, BACKGROUND_PRIORITY for the sync poller's. */
  priority?: number;
}

export function createAccountGuard(parts: GuardParts): AccountGuard {
  return {
    budget: parts.budget,
    async enter(request) {
      const breaker = parts.breakerFor(request.family);
      const ticket = breaker.admit();
      if (ticket === undefined) throw circuitOpen(request.family, breaker.msUntilProbe());
      let release: Release | undefined;
      try {
        release = await parts.slots.acquire(request.signal);
        await parts.quota.take({ ...request, priority: parts.priority });
      } catch (error) {
        release?.();
        breaker.settle(ticket, 'cancelled'); // never sent: a half-open circuit may probe again
        throw toWaitError(error);
      }
      const gauge = parts.gauge ?? { inFlight: 0 };
      gauge.inFlight += 1;
      return toPermit({ quota: parts.quota, breaker, ticket, release, epoch: parts.quota.epoch, gauge });
    },
  };
}

interface Admission {
  quota: Quota;
  breaker: Breaker;
  ticket: Ticket;
  release: Release;
  /** The adaptive rate's epoch when the call was admitted, for judging its 429. */
  epoch: number;
  gauge: { inFlight: number };
}

function toPermit({ quota, breaker, ticket, release, epoch, gauge }: Admission): Permit {
  let released = false;
  return {
    async release(report: AttemptReport) {
      if (released) return;
      released = true;
      release();
      breaker.settle(ticket, report.verdict);
      try {
        await quota.learn(report.hints, epoch);
      } finally {
        gauge.inFlight -= 1;
      }
    },
  };
}

/** A full queue sheds load (RATE_LIMITED); a deadline that fires while queued is a timeout. */
function toWaitError(error: unknown): unknown {
  if (!(error instanceof SemaphoreError)) return error;
  return error.reason === 'full' ? tooManyWaiting() : deadlineError();
}
