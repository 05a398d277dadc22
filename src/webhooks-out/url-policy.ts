import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { createHostMatcher, type HostMatch } from '../accounts/allowed-hosts.js';

/**
 * Which URLs webhooks may be sent to (docs/sync.md "Endpoint URLs"): no server-side request forgery
 * through an endpoint. Unless WEBHOOK_ALLOWED_HOSTS lists a host exactly, its addresses must all be
 * public, judged on the address a connection would use, never on how the host was spelled: an IP
 * literal as the URL parser writes it, a name by resolving it, at registration and again at every
 * connection (src/webhooks-out/guarded-lookup.ts), so a name that later resolves inside is refused too.
 */
export interface UrlPolicy {
  /** Registration: the URL as it is stored, or why it is refused (a name is resolved, bounded). */
  check(input: string): Promise<{ ok: true; url: string } | { ok: false; reason: string }>;
  /** Before each send, without DNS: why the stored URL may not be used now (settings change), if so. */
  refusal(url: URL): string | undefined;
  /** Whether a connection to this hostname must reach public addresses only. */
  needsPublicAddress(hostname: string): boolean;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address of a name, as `getaddrinfo` answers (so /etc/hosts counts too). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export const resolveAll: Resolve = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

export interface UrlPolicyOptions {
  /** WEBHOOK_ALLOWED_HOSTS; undefined: any host whose addresses are public. */
  allowedHosts: string | undefined;
  /** https only, except hosts listed exactly. */
  production: boolean;
  resolve?: Resolve;
  /** How long registration waits for a name to resolve; past it the connection-time check decides. */
  resolveTimeoutMs?: number;
}

const MAX_URL_LENGTH = 2_048;

export function createUrlPolicy(options: UrlPolicyOptions): UrlPolicy {
  const match: (hostname: string) => HostMatch = options.allowedHosts === undefined ? () => undefined : createHostMatcher(options.allowedHosts);
  const resolve = options.resolve ?? resolveAll;
  const needsPublicAddress = (hostname: string) => match(hostname) !== 'exact';
  const refusal = (url: URL): string | undefined => {
    const matched = match(url.hostname);
    if (options.allowedHosts !== undefined && matched === undefined) return `host ${bare(url.hostname)} is not allowed (WEBHOOK_ALLOWED_HOSTS)`;
    if (url.protocol === 'http:' && matched !== 'exact' && (options.production || matched === 'wildcard')) {
      return 'must use https (http only for hosts listed exactly in WEBHOOK_ALLOWED_HOSTS)';
    }
    if (matched === 'exact') return undefined;
    const host = bare(url.hostname);
    if (isIP(host) !== 0) return isPublicAddress(host) ? undefined : `host ${host} is not a public address`;
    if (host === 'localhost' || host.endsWith('.localhost')) return `host ${host} is not a public address`;
    return undefined;
  };
  return {
    needsPublicAddress,
    refusal,
    async check(input) {
      const parsed = parse(input);
      if (typeof parsed === 'string') return { ok: false, reason: parsed };
      const refused = refusal(parsed);
      if (refused !== undefined) return { ok: false, reason: refused };
      const host = bare(parsed.hostname);
      if (isIP(host) === 0 && needsPublicAddress(parsed.hostname)) {
        const addresses = await within(resolve(host), options.resolveTimeoutMs ?? 2_000);
        const inside = addresses?.find((a) => !isPublicAddress(a.address));
        if (inside) return { ok: false, reason: `host ${host} resolves to ${inside.address}, which is not a public address` };
      }
      return { ok: true, url: parsed.href };
    },
  };
}

/** A public unicast address: not loopback, private, link-local, CGNAT, multicast, reserved, or one of these behind IPv4-mapped, NAT64 or 6to4. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

function parse(input: string): URL | string {
  const raw = input.trim();
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  if (!URL.canParse(raw)) return 'must be an absolute http(s) URL';
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an absolute http(s) URL';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (url.hash !== '' || raw.includes('#')) return 'must not have a fragment';
  return url;
}

/** `[::1]` → `::1`, and no trailing dot: the host a connection is made to. */
const bare = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');

/** The value, or undefined when it fails or takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
