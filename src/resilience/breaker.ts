/**
 * A consecutive-failure circuit breaker: `threshold` failures in a row open it; while open, calls
 * are refused without reaching Freshchat; after `cooldownMs` one probe is let through (half-open),
 * and its outcome closes or re-opens the circuit.
 *
 * Hand-written (about 60 lines) rather than opossum, which is not installed and whose model does not
 * fit: it wraps and times out a function itself (our transport already owns timeouts and retries),
 * and it counts failures as a percentage over a rolling window, which at low volume opens on one
 * failure unless tuned. Only the caller knows what a failure is: 5xx, timeouts and connection faults,
 * never 4xx or 429 (an answering Freshchat is not an outage).
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** What `admit` hands out: a normal call, or the single probe of a half-open circuit. */
export type Ticket = 'call' | 'probe';

/** `cancelled`: the admitted call was never sent (it gave up waiting for its turn). */
export type Verdict = 'success' | 'failure' | 'cancelled';

export interface BreakerOptions {
  threshold: number;
  cooldownMs: number;
  now?: () => number;
  onChange?: (state: BreakerState) => void;
}

export interface Breaker {
  /** A ticket to send one call, or undefined to refuse it now. */
  admit(): Ticket | undefined;
  /** Reports how an admitted call ended. */
  settle(ticket: Ticket, verdict: Verdict): void;
  /**
   * While calls are refused, how long until one may be let through: the rest of the cool-down, or,
   * while a probe is out, one more cool-down at most (the probe may fail and re-open the circuit).
   */
  msUntilProbe(): number;
  readonly state: BreakerState;
}

export function createBreaker({ threshold, cooldownMs, now = Date.now, onChange }: BreakerOptions): Breaker {
  let state: BreakerState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;

  const moveTo = (next: BreakerState) => {
    if (next === 'open') openedAt = now();
    if (next === 'closed') failures = 0;
    if (next !== state) onChange?.(next);
    state = next;
  };

  const settleProbe = (verdict: Verdict) => {
    probing = false;
    if (verdict === 'success') moveTo('closed');
    if (verdict === 'failure') moveTo('open');
  };

  // A call admitted while closed may end after the circuit opened: only then does it still count.
  const settleCall = (verdict: Verdict) => {
    if (state !== 'closed' || verdict === 'cancelled') return;
    failures = verdict === 'failure' ? failures + 1 : 0;
    if (failures >= threshold) moveTo('open');
  };

  return {
    admit() {
      if (state === 'closed') return 'call';
      if (state === 'open' && now() - openedAt < cooldownMs) return undefined;
      if (state === 'open') moveTo('half-open');
      if (probing) return undefined;
      probing = true;
      return 'probe';
    },
    settle: (ticket, verdict) => (ticket === 'probe' ? settleProbe(verdict) : settleCall(verdict)),
    msUntilProbe() {
      if (state === 'closed') return 0;
      if (state === 'open') return Math.max(0, openedAt + cooldownMs - now());
      return cooldownMs;
    },
    get state() {
      return state;
    },
  };
}
