/**
 * Which Freshchat URLs may be linked (docs/design.md#linked-accounts): no server-side request forgery through an account's
 * `apiUrl`. The host is matched after WHATWG URL parsing, the same parsing undici does before it
 * connects, so every spelling of an address (decimal, octal or hex IPv4, IPv6, percent-encoding,
 * uppercase, a trailing dot) is judged by what it connects to, never by how it was written.
 */
export interface HostPolicy {
  /** `https://<host>/v2`, or a reason the value cannot be linked. */
  normalize(input: string): { ok: true; apiUrl: string } | { ok: false; reason: string };
}

interface Pattern {
  /** `acme.freshchat.com` (exact) or `.freshchat.com` (any subdomain of it). */
  host: string;
  wildcard: boolean;
}

/** `FRESHCHAT_ALLOWED_HOSTS`: comma-separated hosts, `*.` wildcards. */
export function createHostPolicy(allowedHosts: string): HostPolicy {
  const patterns = allowedHosts
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .map(toPattern);
  return { normalize: (input) => normalize(input, patterns) };
}

function toPattern(entry: string): Pattern {
  if (entry.startsWith('*.')) return { host: canonicalHost(entry.slice(1)) ?? entry.slice(1), wildcard: true };
  return { host: canonicalHost(entry) ?? entry, wildcard: false };
}

/** How the URL parser writes a host (so `127.1` in the setting means 127.0.0.1, like in a URL). */
function canonicalHost(host: string): string | undefined {
  const bare = host.startsWith('.') ? `x${host}` : host;
  if (!URL.canParse(`https://${bare}`)) return undefined;
  const parsed = new URL(`https://${bare}`).hostname.replace(/\.$/, '');
  return host.startsWith('.') ? parsed.slice(1) : parsed;
}

function normalize(input: string, patterns: readonly Pattern[]): ReturnType<HostPolicy['normalize']> {
  const raw = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  if (!URL.canParse(withScheme)) return { ok: false, reason: 'is not a URL' };
  const url = new URL(withScheme);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'must be an https URL' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not contain a user name or password' };
  if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) {
    return { ok: false, reason: 'must not have a query or fragment' };
  }
  if (!['/', '/v2', '/v2/'].includes(url.pathname.toLowerCase())) return { ok: false, reason: 'must be https://<host> or https://<host>/v2' };
  const host = url.hostname.replace(/\.$/, ''); // `acme.freshchat.com.` is acme.freshchat.com
  const match = patterns.find((p) => (p.wildcard ? host.endsWith(p.host) && host.length > p.host.length : host === p.host));
  if (!match) return { ok: false, reason: `host ${host} is not allowed (FRESHCHAT_ALLOWED_HOSTS)` };
  if (url.protocol === 'http:' && match.wildcard) {
    return { ok: false, reason: 'must use https (http only for hosts listed exactly in FRESHCHAT_ALLOWED_HOSTS)' };
  }
  // A wildcard trusts a domain's public API, not every port of every host in it.
  if (match.wildcard && url.port !== '') return { ok: false, reason: 'must use the default https port' };
  const port = url.port === '' ? '' : `:${url.port}`;
  return { ok: true, apiUrl: `${url.protocol}//${url.hostname.replace(/\.$/, '')}${port}/v2` };
}
