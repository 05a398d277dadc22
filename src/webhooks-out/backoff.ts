import type { Outcome } from './deliveries.js';
import type { SendResult } from './send.js';

/**
 * Retries (docs/sync.md "Retries"): the n-th retry waits WEBHOOK_RETRY_BASE_MS × 2^(n-1), times a
 * jitter factor in [0.5, 1.5) so that deliveries failed together do not come back together; after
 * WEBHOOK_MAX_ATTEMPTS sends (the first included) the delivery is failed.
 */
export interface RetryPolicy {
  retryBaseMs: number;
  maxAttempts: number;
}

// Keeps a large WEBHOOK_MAX_ATTEMPTS from scheduling past what a date can hold.
const MAX_RETRY_DELAY_MS = 86_400_000;

/** How long the `retry`-th retry (1 for the first) waits; `random` is uniform in [0, 1). */
export function retryDelayMs(retry: number, baseMs: number, random: () => number): number {
  const nominal = Math.min(baseMs * 2 ** (retry - 1), MAX_RETRY_DELAY_MS);
  return Math.round(nominal * (0.5 + random()));
}

/** What the `attempts`-th send's result means for its delivery, at `now`. */
export function toOutcome(result: SendResult, attempts: number, policy: RetryPolicy, now: number, random: () => number): Outcome {
  if (result.ok) return { delivered: true };
  const nextAttemptAt = attempts >= policy.maxAttempts ? null : new Date(now + retryDelayMs(attempts, policy.retryBaseMs, random));
  return { delivered: false, error: result.error, nextAttemptAt };
}
