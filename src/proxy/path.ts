/**
 * Which passthrough URLs may reach Freshchat (docs/design.md#the-passthrough): `/proxy/freshchat/v2/<path>` whose path
 * stays inside the account's `/v2/` however anything between here and Freshchat decodes or
 * normalises it. Judged on the raw URL as the client sent it, before any decoding, so that an
 * encoded slash, backslash, dot or percent cannot turn into `..` or another path further along.
 */
export const PROXY_PREFIX = '/proxy/freshchat';
const VERSION = '/v2/';

/** A path segment: RFC 3986 pchar, with escapes for anything else. */
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/;
/** A query: pchar plus `/` and `?`. */
const QUERY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
/** Escapes that decode to a separator or a dot, or to another escape: never forwarded. */
const DANGEROUS_ESCAPE = /%(?:2[fFeE5]|5[cC]|00)/;

export type ProxyTarget = { ok: true; path: string; rawQuery: string; family: string } | { ok: false; reason: string };

/** `originalUrl` as Express keeps it (never decoded); `path` comes out relative to the account's `/v2`. */
export function toProxyTarget(originalUrl: string): ProxyTarget {
  const at = originalUrl.indexOf('?');
  const rawPath = at < 0 ? originalUrl : originalUrl.slice(0, at);
  const rawQuery = at < 0 ? '' : originalUrl.slice(at);
  const prefix = `${PROXY_PREFIX}${VERSION}`;
  if (!rawPath.startsWith(prefix)) return refuse(`Only ${prefix}<path> is forwarded to Freshchat.`);
  const segments = rawPath.slice(prefix.length).split('/');
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem) return refuse(problem);
  }
  if (!QUERY.test(rawQuery.slice(1))) return refuse('The query string has characters that must be percent-encoded.');
  return { ok: true, path: `/${segments.join('/')}`, rawQuery, family: segments[0]! };
}

function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'The path has an empty segment (`//` or a trailing `/`).';
  if (segment === '.' || segment === '..') return 'The path may not contain `.` or `..` segments.';
  if (DANGEROUS_ESCAPE.test(segment)) return 'The path may not contain an encoded slash, backslash, dot, percent or NUL.';
  if (!SEGMENT.test(segment)) return 'The path has characters that must be percent-encoded.';
  return undefined;
}

const refuse = (reason: string): ProxyTarget => ({ ok: false, reason });
