import { configuredAccount } from '../account.js';
import { FreshchatError } from '../errors.js';
import type { AccountTransports } from '../freshchat/account-transport.js';
import { decodeConfiguration } from '../freshchat/decode.js';
import { startDeadline } from '../freshchat/signals.js';
import { Secret } from '../secret.js';

/** What linking learns from Freshchat about a URL and token, before anything is stored. */
export type Validation =
  | { ok: true }
  | { ok: false; code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_BAD_RESPONSE'; message: string };

export type ValidateCredentials = (apiUrl: string, token: string) => Promise<Validation>;

/**
 * Asks Freshchat `GET /accounts/configuration` (the cheapest authenticated call, as /ready does) with
 * the candidate token, through the accounts' one transport as a candidate: one attempt, a short
 * deadline, no linked account's guard or observers (it is nobody's account yet), and redirects never
 * followed (undici's request does not follow them), so an allowed host cannot bounce the check to an
 * internal address.
 */
export function createValidator(transports: AccountTransports, timeoutMs = 10_000): ValidateCredentials {
  return async (apiUrl, token) => {
    const candidate = configuredAccount({ id: 'linking', baseUrl: apiUrl, token: new Secret(token) });
    const client = transports.client(candidate, { deadline: startDeadline(timeoutMs), kind: 'candidate' });
    try {
      await client.read('/accounts/configuration', decodeConfiguration);
      return { ok: true };
    } catch (error) {
      return toFailure(error);
    }
  };
}

/**
 * One message for every URL where no Freshchat answered as Freshchat (refused, unreachable, timed
 * out, or something else answering): the link page must not tell a closed port from an open one.
 */
export const NO_FRESHCHAT_HERE = 'No Freshchat API answered at this URL. Check the URL (https://<account>.freshchat.com), then try again.';

function toFailure(error: unknown): Validation {
  const kind = error instanceof FreshchatError ? error.kind : 'UNAVAILABLE';
  switch (kind) {
    case 'UNAUTHENTICATED':
      return { ok: false, code: 'UNAUTHENTICATED', message: 'Freshchat rejected the API key (401). Copy it again from Admin Settings > APIs for chat.' };
    case 'FORBIDDEN':
      return { ok: false, code: 'FORBIDDEN', message: 'Freshchat accepted the API key but it cannot read the account (403): it needs the account:read scope.' };
    case 'RATE_LIMITED':
      return { ok: false, code: 'UPSTREAM_UNAVAILABLE', message: 'Freshchat is rate limiting this account (429). Try again in a minute.' };
    default:
      return { ok: false, code: 'UPSTREAM_UNAVAILABLE', message: NO_FRESHCHAT_HERE };
  }
}
