import type { Account } from './account.js';
import { FreshchatError } from './errors.js';
import type { AccountTransports } from './freshchat/account-transport.js';
import { decodeConfiguration } from './freshchat/decode.js';
import { startDeadline } from './freshchat/signals.js';

/** `redis`: how the shared limits store is doing, when REDIS_URL is set (see docs/resilience.md). */
export type Readiness = ({ ready: true } | { ready: false; reason: string }) & { redis?: string };

/**
 * Ready when Freshchat answers GET /accounts/configuration (the cheapest authenticated call) with the
 * configured token. The reason names the fault class only, never an upstream body. The probe goes
 * through the account's transport like any call (quota, breakers, the attempt log), as one attempt;
 * a Redis outage (`redis`, when REDIS_URL is set) is reported but does not make the subgraph unready,
 * since queries keep working on in-process limits.
 */
export async function checkReadiness(account: Account | null, transports: AccountTransports, timeoutMs: number, redis?: Promise<string | undefined>): Promise<Readiness> {
  // Without a default account there is nothing of the operator's to probe: linked accounts are the customers'.
  if (account === null) return { ready: true, redis: await redis };
  const client = transports.client(account, { deadline: startDeadline(timeoutMs), kind: 'probe' });
  try {
    await client.read('/accounts/configuration', decodeConfiguration);
    return { ready: true, redis: await redis };
  } catch (error) {
    return { ready: false, reason: `Freshchat account ${account.id}: ${toReason(error)}`, redis: await redis };
  }
}

/**
 * The fault class, never an upstream body. A refusal by this process (its own quota, a full queue,
 * an open circuit) sent nothing to Freshchat and says so: it must not read as Freshchat's 429.
 */
function toReason(error: unknown): string {
  if (!(error instanceof FreshchatError)) return REASONS.UNAVAILABLE!;
  if (error.status === undefined && error.kind === 'RATE_LIMITED') return `refused locally, nothing sent: ${error.message}`;
  if (error.status === undefined && /circuit open/.test(error.message)) return `refused locally, nothing sent: ${error.message}`;
  return REASONS[error.kind] ?? error.kind;
}

/**
 * /ready as a probe anyone may hit: the verdict is reused for `ttlMs`, and concurrent callers share
 * the one check in flight, so Freshchat sees at most one call per interval whatever the traffic
 * (docs/design.md#operations), and the account's quota is not spent by readiness probes.
 */
export function createReadinessProbe(check: () => Promise<Readiness>, ttlMs: number, now: () => number = Date.now): () => Promise<Readiness> {
  let inFlight: Promise<Readiness> | undefined;
  let last: { startedAt: number; verdict: Readiness } | undefined;
  return () => {
    if (inFlight) return inFlight;
    if (last !== undefined && now() - last.startedAt < ttlMs) return Promise.resolve(last.verdict);
    const startedAt = now();
    inFlight = check()
      .then((verdict) => ((last = { startedAt, verdict }), verdict))
      .finally(() => (inFlight = undefined));
    return inFlight;
  };
}

/** The /ready answer: 200 while ready (whatever Redis does), else 503 with the reason. */
export function toReadyResponse(readiness: Readiness): { status: number; body: Record<string, string> } {
  const redis: Record<string, string> = readiness.redis === undefined ? {} : { redis: readiness.redis };
  return readiness.ready
    ? { status: 200, body: { status: 'ready', ...redis } }
    : { status: 503, body: { status: 'unavailable', reason: readiness.reason, ...redis } };
}

const REASONS: Partial<Record<FreshchatError['kind'], string>> = {
  UNAUTHENTICATED: 'the API token was rejected (401)',
  FORBIDDEN: 'the API token lacks the account:read scope (403)',
  RATE_LIMITED: 'rate limited (429)',
  UNAVAILABLE: 'upstream unavailable or timed out',
  BAD_RESPONSE: 'upstream answered something that is not the Freshchat API (check FRESHCHAT_API_URL)',
  NOT_FOUND: 'not found (404): check FRESHCHAT_API_URL',
};
