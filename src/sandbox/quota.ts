/**
 * A real per-token rate limit for the sandbox, Freshdesk-style (docs/freshchat-api.md#rate-limits: Freshchat
 * documents a 429 but no numbers; its sister products count requests per account per minute): a
 * fixed window opened by the first request, `perMinute` requests answered in it, every further one
 * answered 429 with the seconds left in the window as Retry-After. Refused requests do not count.
 * Off unless SandboxOptions.rateLimit is given.
 */
export interface RateLimitOptions {
  /** Requests answered per window and token. */
  perMinute: number;
  /** Window length; default 60 s. */
  windowMs?: number;
  /** Also send X-RateLimit-Total/-Remaining (Freshchat is not known to: off by default). */
  headers?: boolean;
}

export type QuotaVerdict =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; retryAfter: number; headers: Record<string, string> };

export interface TokenQuota {
  take(token: string): QuotaVerdict;
}

export function createTokenQuota(options: RateLimitOptions, now: () => number = Date.now): TokenQuota {
  const windowMs = options.windowMs ?? 60_000;
  const windows = new Map<string, { start: number; used: number }>();
  const headers = (used: number): Record<string, string> =>
    options.headers ? { 'X-RateLimit-Total': String(options.perMinute), 'X-RateLimit-Remaining': String(Math.max(0, options.perMinute - used)) } : {};
  return {
    take(token) {
      const at = now();
      let window = windows.get(token);
      if (!window || at >= window.start + windowMs) windows.set(token, (window = { start: at, used: 0 }));
      if (window.used >= options.perMinute) {
        return { ok: false, retryAfter: Math.max(1, Math.ceil((window.start + windowMs - at) / 1000)), headers: headers(window.used) };
      }
      window.used += 1;
      return { ok: true, headers: headers(window.used) };
    },
  };
}

/** The bearer token of a request, or '' (the router answers 401 for it anyway). */
export function bearerOf(authorization: string | undefined): string {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
}
