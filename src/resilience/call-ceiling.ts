import { GraphQLError } from 'graphql';
import type { AccountGuard, Permit } from '../freshchat/guard.js';
import type { RetryBudget } from '../freshchat/retry.js';

/**
 * The runtime half of MAX_UPSTREAM_CALLS_PER_REQUEST (docs/design.md#the-upstream-call-budget). The pre-execution estimate
 * (src/hardening/operation-walk.ts) refuses operations that plainly ask for too much; this counts the attempts a
 * request really makes, retries included, and refuses those past the ceiling before they are sent,
 * for the cases the estimate cannot see (a catalog longer than one page, an upstream that clamps
 * pages). It sits in the transport's guard port because that is the one hook that runs before an
 * attempt is sent and may refuse it.
 */
export interface CallCeiling {
  /** `inner` (the account's resilience guard, when wired) behind this request's ceiling. */
  guard(inner: AccountGuard | undefined): AccountGuard;
}

/** One per GraphQL request, shared by the clients of every account the request reads. */
export function createCallCeiling(max: number): CallCeiling {
  let admitted = 0;
  return {
    guard(inner) {
      return {
        budget: inner?.budget ?? UNMETERED,
        async enter(request): Promise<Permit> {
          if (admitted >= max) throw callCeilingError(max);
          // Reserved before waiting on `inner`, so concurrent attempts cannot overshoot together.
          admitted += 1;
          if (inner === undefined) return FREE;
          try {
            return await inner.enter(request);
          } catch (error) {
            admitted -= 1; // refused by a limit or an open circuit: never sent
            throw error;
          }
        },
      };
    },
  };
}

/**
 * The field that needed the call fails; its siblings keep what they already have. BAD_USER_INPUT
 * because the request, not Freshchat, is at fault: sent again unchanged it fails again (docs/design.md#errors).
 * No `http` extension: a field error must not turn a partial result into an HTTP 400.
 */
export function callCeilingError(max: number): GraphQLError {
  const message = `This request reached its ceiling of ${max} Freshchat calls; ask for fewer pages, ids or members per request.`;
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', limit: 'upstreamCalls', max } });
}

// Without a resilience guard a retry costs nothing, as when the transport has no guard at all.
const UNMETERED: RetryBudget = { spend: () => 0, refund: () => undefined };
const FREE: Permit = { release: async () => undefined };
