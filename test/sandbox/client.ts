import type * as Freshchat from '../../src/resources/wire.js';
import type { Sandbox } from '../../src/sandbox/index.js';

export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * GET `<baseUrl><path>` with the sandbox token (or `token`; none when null) and parse the JSON.
 * `T` is what the test expects the body to be; the assertions check it.
 */
export async function get<T = Freshchat.ErrorBody>(
  sandbox: Sandbox,
  path: string,
  token: string | null = sandbox.token,
  init: RequestInit = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  const res = await fetch(`${sandbox.baseUrl}${path}`, { ...init, headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}
