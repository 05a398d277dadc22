import type { Dispatcher } from 'undici';
import { FreshchatError } from '../errors.js';
import { createFreshchatClient } from '../freshchat/client.js';
import { decodeConfiguration } from '../freshchat/decode.js';
import { Secret } from '../secret.js';

/** What linking learns from Freshchat about a URL and token, before anything is stored. */
export type Validation =
  | { ok: true }
  | { ok: false; code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_BAD_RESPONSE'; message: string };

export type ValidateCredentials = (apiUrl: string, token: string) => Promise<Validation>;

/**
 * Asks Freshchat `GET /accounts/configuration` (the cheapest authenticated call, as /ready does) with
 * the candidate token: one attempt, a short timeout, and redirects never followed (undici's request
 * does not follow them), so an allowed host cannot bounce the check to an internal address.
 */
export function createValidator(dispatcher: Dispatcher, timeoutMs = 10_000): ValidateCredentials {
  return async (apiUrl, token) => {
    const client = createFreshchatClient({
      account: { id: 'linking', baseUrl: apiUrl, token: new Secret(token), tenant: null },
      dispatcher,
      retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      signal: AbortSignal.timeout(timeoutMs),
      deadline: Date.now() + timeoutMs,
    });
    try {
      await client.read('/accounts/configuration', decodeConfiguration);
      return { ok: true };
    } catch (error) {
      return toFailure(error);
    }
  };
}

function toFailure(error: unknown): Validation {
  const kind = error instanceof FreshchatError ? error.kind : 'UNAVAILABLE';
  switch (kind) {
    case 'UNAUTHENTICATED':
      return { ok: false, code: 'UNAUTHENTICATED', message: 'Freshchat rejected the API key (401). Copy it again from Admin Settings > APIs for chat.' };
    case 'FORBIDDEN':
      return { ok: false, code: 'FORBIDDEN', message: 'Freshchat accepted the API key but it cannot read the account (403): it needs the account:read scope.' };
    case 'UNAVAILABLE':
    case 'RATE_LIMITED':
      return { ok: false, code: 'UPSTREAM_UNAVAILABLE', message: 'Freshchat did not answer in time at this URL. Check the URL, then try again.' };
    default:
      return { ok: false, code: 'UPSTREAM_BAD_RESPONSE', message: 'This URL does not answer like the Freshchat API. Check the URL (https://<account>.freshchat.com).' };
  }
}
