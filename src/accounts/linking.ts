import { ACCOUNT_ID_RULE, isAccountId } from '../account.js';
import type { HostPolicy } from './allowed-hosts.js';
import type { AccountStore, LinkedAccount, NewAccount } from './store.js';
import { DuplicateAccountError } from './store.js';
import { NO_FRESHCHAT_HERE, type ValidateCredentials } from './validate.js';

/** Why a link or relink was refused: an HTTP status and a code from docs/design.md#errors for the admin API and page. */
export interface LinkRefusal {
  status: 400 | 404 | 409 | 422 | 502 | 503;
  code: string;
  message: string;
  /** The input field at fault, for the link page's inline errors. */
  field?: 'apiUrl' | 'apiToken' | 'id';
}

export type LinkResult = { ok: true; account: LinkedAccount } | { ok: false; refusal: LinkRefusal };

export interface LinkRequest {
  id?: string;
  name: string;
  apiUrl: string;
  token: string;
  tenant: string | null;
}

export interface Linking {
  /** The allowed, normalised URL, once Freshchat has accepted the token there; nothing is stored. */
  check(apiUrl: string, token: string): Promise<{ ok: true; apiUrl: string } | { ok: false; refusal: LinkRefusal }>;
  /** check, then store; `insert` lets the link page store inside its own transaction. */
  link(request: LinkRequest, insert?: (account: NewAccount) => Promise<LinkedAccount>): Promise<LinkResult>;
  /** Changes of PATCH /admin/accounts/{id}: a new token or URL is checked with Freshchat first. */
  relink(id: string, changes: { name?: string; apiUrl?: string; token?: string }): Promise<LinkResult>;
}

export interface LinkingDeps {
  store: AccountStore;
  hosts: HostPolicy;
  validate: ValidateCredentials;
  /** Configured or not: without CREDENTIALS_KEY nothing is linked (and Freshchat is not asked). */
  canStore: boolean;
  /** The environment account's id, which no linked account may take. */
  reservedId: string | null;
}

const NO_KEY: LinkRefusal = {
  status: 503,
  code: 'CREDENTIALS_KEY_MISSING',
  message: 'CREDENTIALS_KEY is not set: this deployment cannot store credentials (32 random bytes, base64)',
};

/** A port the policy does not allow is answered like a host that does not answer (README "Which URLs may be linked"). */
const UNREACHABLE: LinkRefusal = { status: 502, code: 'UPSTREAM_UNAVAILABLE', message: NO_FRESHCHAT_HERE, field: 'apiUrl' };

const UNSENDABLE: LinkRefusal = {
  status: 400,
  code: 'BAD_USER_INPUT',
  message: 'apiToken contains a line break or another character that cannot be sent in an HTTP header: copy the API key again from Freshchat',
  field: 'apiToken',
};

/** Visible ASCII and spaces: anything else (CR, LF, NUL, a non-ASCII letter) cannot be a Freshchat key in a header. */
const SENDABLE = /^[\x20-\x7e]+$/;

export function createLinking(deps: LinkingDeps): Linking {
  const check: Linking['check'] = async (apiUrl, token) => {
    if (!deps.canStore) return { ok: false, refusal: NO_KEY };
    const url = deps.hosts.normalize(apiUrl);
    if (!url.ok && url.unreachable) return { ok: false, refusal: UNREACHABLE };
    if (!url.ok) return { ok: false, refusal: { status: 400, code: 'BAD_USER_INPUT', message: `apiUrl ${url.reason}`, field: 'apiUrl' } };
    if (!SENDABLE.test(token)) return { ok: false, refusal: UNSENDABLE };
    const validation = await deps.validate(url.apiUrl, token);
    if (validation.ok) return { ok: true, apiUrl: url.apiUrl };
    const upstreamFault = validation.code === 'UPSTREAM_UNAVAILABLE' || validation.code === 'UPSTREAM_BAD_RESPONSE';
    return {
      ok: false,
      refusal: { status: upstreamFault ? 502 : 422, code: validation.code, message: validation.message, field: upstreamFault ? 'apiUrl' : 'apiToken' },
    };
  };
  return {
    check,
    async link(request, insert = deps.store.insert) {
      if (request.id !== undefined && !isAccountId(request.id)) {
        return { ok: false, refusal: { status: 400, code: 'BAD_USER_INPUT', message: `id ${ACCOUNT_ID_RULE}`, field: 'id' } };
      }
      if (request.id !== undefined && request.id === deps.reservedId) {
        return { ok: false, refusal: { status: 409, code: 'ACCOUNT_EXISTS', message: `account id ${request.id} is taken`, field: 'id' } };
      }
      const checked = await check(request.apiUrl, request.token);
      if (!checked.ok) return checked;
      try {
        return { ok: true, account: await insert({ ...request, apiUrl: checked.apiUrl }) };
      } catch (error) {
        if (!(error instanceof DuplicateAccountError)) throw error;
        return { ok: false, refusal: { status: 409, code: 'ACCOUNT_EXISTS', message: error.message, field: 'id' } };
      }
    },
    async relink(id, changes) {
      const found = await deps.store.get(id);
      if (!found) return { ok: false, refusal: notFound(id) };
      let apiUrl: string | undefined;
      if (changes.token !== undefined || changes.apiUrl !== undefined) {
        // The stored token is opened only when it is kept: a new one repairs an account whose row was tampered with.
        const token = changes.token ?? (await deps.store.getWithToken(id))?.token.reveal();
        if (token === undefined) return { ok: false, refusal: notFound(id) };
        const checked = await check(changes.apiUrl ?? found.apiUrl, token);
        if (!checked.ok) return checked;
        apiUrl = checked.apiUrl;
      }
      const updated = await deps.store.update(id, { name: changes.name, apiUrl, token: changes.token });
      return updated ? { ok: true, account: updated.account } : { ok: false, refusal: notFound(id) };
    },
  };
}

export const notFound = (id: string): LinkRefusal => ({ status: 404, code: 'ACCOUNT_NOT_FOUND', message: `no linked account ${id}` });
