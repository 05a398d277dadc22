import type { Dispatcher } from 'undici';
import type { Account } from './account.js';
import { FreshchatError } from './errors.js';
import { createFreshchatClient } from './freshchat/client.js';

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Ready when Freshchat answers GET /accounts/configuration (the cheapest authenticated call) with the
 * configured token. The reason names the fault class only, never an upstream body.
 */
export async function checkReadiness(account: Account, dispatcher: Dispatcher, timeoutMs: number): Promise<Readiness> {
  const client = createFreshchatClient({
    account,
    dispatcher,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    signal: AbortSignal.timeout(timeoutMs),
    deadline: Date.now() + timeoutMs,
  });
  try {
    await client.getAccountConfiguration();
    return { ready: true };
  } catch (error) {
    const kind = error instanceof FreshchatError ? error.kind : 'UNAVAILABLE';
    return { ready: false, reason: `Freshchat account ${account.id}: ${REASONS[kind] ?? kind}` };
  }
}

const REASONS: Partial<Record<FreshchatError['kind'], string>> = {
  UNAUTHENTICATED: 'the API token was rejected (401)',
  FORBIDDEN: 'the API token lacks the account:read scope (403)',
  RATE_LIMITED: 'rate limited (429)',
  UNAVAILABLE: 'upstream unavailable or timed out',
  BAD_RESPONSE: 'upstream answered something that is not the Freshchat API (check FRESHCHAT_API_URL)',
  NOT_FOUND: 'not found (404): check FRESHCHAT_API_URL',
};
