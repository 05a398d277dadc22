import { z } from 'zod';

/**
 * The environment settings of webhooks out (docs/sync.md "Webhooks out"). src/config.ts spreads
 * `WebhooksOutEnv` into its schema, so it stays the only reader of process.env.
 */

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

// An entry is a host as a URL would name it (`hooks.example.com`, `127.0.0.1`, `[::1]`) or `*.` and a domain.
const isHostEntry = (entry: string): boolean => {
  const host = entry.startsWith('*.') ? entry.slice(2) : entry;
  return host !== '' && !/[/?#@\s]/.test(host) && URL.canParse(`https://${host}`);
};

export const WebhooksOutEnv = {
  /** Unset: any public host. Set: only these hosts (comma-separated, `*.` wildcards). */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .refine(
      (value) => value.split(',').map((entry) => entry.trim()).filter(Boolean).every(isHostEntry),
      'must be comma-separated hosts, e.g. hooks.example.com,*.example.org,127.0.0.1',
    )
    .optional(),
  /** The first retry waits this long, each next one twice as long (±50% jitter). */
  WEBHOOK_RETRY_BASE_MS: int(5_000, 1, 3_600_000),
  /** Sends per delivery, the first included; then it is marked failed. */
  WEBHOOK_MAX_ATTEMPTS: int(8, 1, 100),
};

export interface WebhooksOutSettings {
  /** Undefined: any host that resolves to public addresses only. */
  allowedHosts: string | undefined;
  retryBaseMs: number;
  maxAttempts: number;
  /** NODE_ENV=production: https only, except hosts listed exactly in allowedHosts. */
  production: boolean;
}

export function toWebhooksOutSettings(e: z.infer<z.ZodObject<typeof WebhooksOutEnv>>, production: boolean): WebhooksOutSettings {
  return {
    allowedHosts: e.WEBHOOK_ALLOWED_HOSTS?.trim() === '' ? undefined : e.WEBHOOK_ALLOWED_HOSTS,
    retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
    maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    production,
  };
}
