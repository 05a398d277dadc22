/**
 * Which Freshchat URLs may be linked (docs/design.md#linked-accounts): no server-side request forgery through an account's
 * `apiUrl`. The host is matched after WHATWG URL parsing, the same parsing undici does before it
 * connects, so every spelling of an address (decimal, octal or hex IPv4, IPv6, percent-encoding,
 * uppercase, a trailing dot) is judged by what it connects to, never by how it was written. Ports are
 * allowed explicitly: an entry without one allows the scheme's default port only.
 */
export interface HostPolicy {
  /**
   * `https://<host>/v2`, or a reason the value cannot be linked. `unreachable`: refused for its port,
   * which the caller must report exactly as it reports a host that does not answer, so that trying
   * ports tells nothing (README "Which URLs may be linked").
   */
  normalize(input: string): { ok: true; apiUrl: string } | { ok: false; reason: string; unreachable?: true };
}

/** One entry of FRESHCHAT_ALLOWED_HOSTS. */
export interface HostPattern {
  /** `acme.freshchat.com` (exact), or `freshchat.com` for `*.freshchat.com` (any subdomain, not itself). */
  host: string;
  wildcard: boolean;
  /** The one port allowed; undefined: the scheme's default port (443, or 80 for http). */
  port: number | undefined;
}

/** FRESHCHAT_ALLOWED_HOSTS (comma-separated hosts, `*.` wildcards, optional `:port`), or what is wrong with it. */
export function parseAllowedHosts(value: string): { ok: true; patterns: HostPattern[] } | { ok: false; problems: string[] } {
  const entries = value.split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean);
  const parsed = entries.map((entry) => ({ entry, pattern: toPattern(entry) }));
  const problems = parsed.flatMap(({ entry, pattern }) =>
    typeof pattern === 'string' ? [`FRESHCHAT_ALLOWED_HOSTS entry ${JSON.stringify(entry)} ${pattern}`] : [],
  );
  if (entries.length === 0) problems.push('FRESHCHAT_ALLOWED_HOSTS lists no host');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, patterns: parsed.map(({ pattern }) => pattern as HostPattern) };
}

export function createHostPolicy(patterns: readonly HostPattern[]): HostPolicy {
  return { normalize: (input) => normalize(input, patterns) };
}

/** How a host is allowed by a list: named exactly, by a `*.` wildcard, or not at all. */
export type HostMatch = 'exact' | 'wildcard' | undefined;

/**
 * Matches a URL's hostname (as WHATWG URL parsing writes it; a trailing dot is ignored) against a
 * comma-separated list in the syntax of FRESHCHAT_ALLOWED_HOSTS, so WEBHOOK_ALLOWED_HOSTS judges a
 * host the same way (its entries are checked when the setting is read). Ports are the caller's rule.
 */
export function createHostMatcher(list: string): (hostname: string) => HostMatch {
  const patterns = list
    .split(',')
    .map((entry) => toPattern(entry.trim().toLowerCase()))
    .filter((pattern): pattern is HostPattern => typeof pattern !== 'string');
  return (hostname) => {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    const match = patterns.find((p) => (p.wildcard ? host.endsWith(`.${p.host}`) : host === p.host));
    return match === undefined ? undefined : match.wildcard ? 'wildcard' : 'exact';
  };
}

/** A pattern, or what is wrong with the entry. */
function toPattern(entry: string): HostPattern | string {
  const wildcard = entry.startsWith('*.');
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(wildcard ? entry.slice(2) : entry);
  if (!match) return 'is not host, host:port, *.domain or *.domain:port';
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65_535)) return 'has a port outside 1-65535';
  const host = canonicalHost(match[1] ?? '');
  if (host === undefined) return 'is not a host name or IP address';
  if (wildcard && (isIpLiteral(host) || host.split('.').length < 2)) return 'must be *. followed by a domain of at least two labels';
  return { host, wildcard, port };
}

/** How the URL parser writes a host (so `127.1` means 127.0.0.1, as in a URL); undefined when it is not one. */
function canonicalHost(host: string): string | undefined {
  if (host === '' || !URL.canParse(`https://${host}/`)) return undefined;
  const url = new URL(`https://${host}/`);
  if (url.port !== '' || url.pathname !== '/' || url.username !== '' || url.password !== '') return undefined;
  const canonical = url.hostname.replace(/\.$/, '');
  return isIpLiteral(canonical) || isDnsName(canonical) ? canonical : undefined;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Letters, digits and hyphens, 1-63 per label, no empty label (`a..b`), no `*` or `_`. */
const isDnsName = (host: string) => host.length <= 253 && host.split('.').every((label) => LABEL.test(label));
const isIpLiteral = (host: string) => host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host);

const DEFAULT_PORT: Record<string, number> = { 'https:': 443, 'http:': 80 };

function normalize(input: string, patterns: readonly HostPattern[]): ReturnType<HostPolicy['normalize']> {
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
  if (!isIpLiteral(host) && !isDnsName(host)) return { ok: false, reason: `host ${host} is not a valid host name` };
  const named = patterns.filter((p) => (p.wildcard ? host.endsWith(`.${p.host}`) : host === p.host));
  if (named.length === 0) return { ok: false, reason: `host ${host} is not allowed (FRESHCHAT_ALLOWED_HOSTS)` };
  const port = url.port === '' ? DEFAULT_PORT[url.protocol] : Number(url.port);
  const match = named.find((p) => (p.port ?? DEFAULT_PORT[url.protocol]) === port);
  if (!match) return { ok: false, reason: `port ${port} is not allowed for ${host}`, unreachable: true };
  if (url.protocol === 'http:' && match.wildcard) {
    return { ok: false, reason: 'must use https (http only for hosts listed exactly in FRESHCHAT_ALLOWED_HOSTS)' };
  }
  return { ok: true, apiUrl: `${url.protocol}//${host}${url.port === '' ? '' : `:${url.port}`}/v2` };
}
