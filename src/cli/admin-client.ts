import type { LinkedAccount } from '../accounts/store.js';
import type { Secret } from '../secret.js';
import type { AccountsBackend } from './accounts-backend.js';
import { fail } from './failure.js';

interface AdminAnswer {
  status: number;
  body: { accounts?: LinkedAccount[]; account?: LinkedAccount; reencrypted?: number; error?: { code?: string; message?: string } } | undefined;
}

/**
 * The accounts CLI through a server's admin API (`/admin`, README "Linking through the admin API"):
 * the same operations, checked and stored by the server, so it works while the server holds the
 * embedded registry. ADMIN_TOKEN is the server's.
 */
export function createAdminBackend(base: string, adminToken: Secret | undefined): AccountsBackend {
  if (adminToken === undefined) fail(`ADMIN_TOKEN must be set to use the admin API at ${base}`);
  const origin = base.replace(/\/+$/, '');
  const call = async (method: string, path: string, body?: unknown): Promise<AdminAnswer> => {
    let res: Response;
    try {
      res = await fetch(`${origin}/admin${path}`, {
        method,
        headers: { authorization: `Bearer ${adminToken.reveal()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      return fail(`could not reach the admin API at ${origin}/admin (${describe(error)}): is the server running there?`);
    }
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as AdminAnswer['body']) };
  };
  const expect = (answer: AdminAnswer, ok: number): NonNullable<AdminAnswer['body']> => {
    if (answer.status === ok) return answer.body ?? {};
    if (answer.status === 404 && answer.body?.error === undefined) fail(`the server at ${origin} has no admin API: set ADMIN_TOKEN (at least 32 characters) where it runs`);
    if (answer.status === 401) fail(`the server at ${origin} refused ADMIN_TOKEN (401): use the same ADMIN_TOKEN as the server`);
    return fail(`${answer.body?.error?.code ?? `HTTP_${answer.status}`}: ${answer.body?.error?.message ?? 'the admin API refused the request'}`);
  };
  return {
    list: async () => expect(await call('GET', '/accounts'), 200).accounts ?? [],
    async link({ token, tenant, ...rest }) {
      const body = { ...rest, apiToken: token, ...(tenant === null ? {} : { tenant }) };
      const { account } = expect(await call('POST', '/accounts', body), 201);
      return account ?? fail('the admin API answered without the account');
    },
    async unlink(id) {
      expect(await call('DELETE', `/accounts/${encodeURIComponent(id)}`), 204);
    },
    rotateKey: async () => expect(await call('POST', '/rotate-key'), 200).reencrypted ?? 0,
    close: async () => undefined,
  };
}

function describe(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error);
}
