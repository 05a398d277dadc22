/**
 * The retry budget of one account: the token bucket of the AWS SDKs' "standard" retry mode. A retry
 * costs 5 tokens (10 after a timeout, which ties up a connection the longest); a call that succeeds
 * gives back what its last retry cost, or 1 if it needed none. With the bucket empty nothing is
 * retried, so during an outage every caller sends one attempt, not UPSTREAM_MAX_ATTEMPTS of them.
 */
import type { RetryBudget } from '../freshchat/retry.js';

export const RETRY_COST = 5;
export const TIMEOUT_RETRY_COST = 10;
export const SUCCESS_REFUND = 1;

export interface Budget extends RetryBudget {
  readonly tokens: number;
}

/** `onEmpty` is told once each time the bucket runs dry (for a log line, not one per refusal). */
export function createRetryBudget(capacity: number, onEmpty?: () => void): Budget {
  let tokens = capacity;
  let dry = false;
  return {
    spend(timeout) {
      const cost = timeout ? TIMEOUT_RETRY_COST : RETRY_COST;
      if (tokens < cost) {
        if (!dry) onEmpty?.();
        dry = true;
        return undefined;
      }
      tokens -= cost;
      return cost;
    },
    refund(paid) {
      tokens = Math.min(capacity, tokens + (paid > 0 ? paid : SUCCESS_REFUND));
      if (tokens >= RETRY_COST) dry = false;
    },
    get tokens() {
      return tokens;
    },
  };
}
