/** What goes on the wire for one call: URL, query string and headers. */
import type { Account } from '../account.js';

export type QueryValue = string | number | boolean | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

/** The parts of a call that shape its request. */
export interface RequestParts {
  path: string;
  query?: Query;
  /** Sent as it came, instead of `query`; starts with `?` or is empty. */
  rawQuery?: string;
  body?: unknown;
}

export function toUrl(account: Account, call: RequestParts): string {
  return `${account.baseUrl}${call.path}${call.rawQuery ?? toQueryString(call.query)}`;
}

export function toHeaders(account: Account, call: RequestParts): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${account.token.reveal()}`,
    accept: 'application/json',
  };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  return headers;
}

/**
 * `?a=1&b=true` with keys sorted, so equal queries give equal URLs (cache keys, logs, mocks);
 * undefined values are left out; booleans become `true`/`false`.
 */
export function toQueryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * The endpoint family a path belongs to (`/agents/42` → `agents`): circuit breakers are kept per
 * family, so a failing /users does not stop /agents.
 */
export function toFamily(path: string): string {
  return path.split('/')[1] || 'root';
}
