import { Agent } from 'undici';
import type { EndpointTarget } from './endpoints.js';
import { AddressRefusedError, createGuardedLookup } from './guarded-lookup.js';
import { signedHeaders } from './signature.js';
import { resolveAll, type Resolve, type UrlPolicy } from './url-policy.js';

/**
 * One signed POST of a change to an endpoint (docs/sync.md "Deliveries"): redirects are never
 * followed, every connection goes through the address guard, and a send ends within `timeoutMs`
 * (10 s) whatever the receiver does. Nothing of the answer is kept but its status.
 */
export type SendResult = { ok: true } | { ok: false; error: string };

export interface Sender {
  send(target: EndpointTarget, delivery: { changeId: string; body: string }, signal?: AbortSignal): Promise<SendResult>;
  close(): Promise<void>;
}

export interface SenderOptions {
  policy: UrlPolicy;
  resolve?: Resolve;
  /** The whole send: connect, request, answer. */
  timeoutMs?: number;
  now?: () => number;
}

export const SEND_TIMEOUT_MS = 10_000;
const MAX_ERROR_LENGTH = 200;

export function createSender(options: SenderOptions): Sender {
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  // Its own pool, apart from Freshchat's: other hosts, and the guarded lookup on every connection.
  const agent = new Agent({
    connect: { lookup: createGuardedLookup(options.policy, options.resolve ?? resolveAll), timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 4_000,
    connections: 16,
  });
  return {
    async send(target, delivery, signal) {
      const url = new URL(target.url);
      const refused = options.policy.refusal(url);
      if (refused !== undefined) return { ok: false, error: clean(`refused: URL ${refused}`) };
      const timeout = AbortSignal.timeout(timeoutMs);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'freshchat-subgraph-webhooks',
        ...signedHeaders(target.secret, delivery.changeId, Math.floor(now() / 1000), delivery.body),
      };
      try {
        const response = await agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers,
          body: delivery.body,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        await response.body.dump().catch(() => undefined); // the answer's body is never kept
        if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true };
        const redirect = response.statusCode >= 300 && response.statusCode < 400 ? ' (redirects are not followed)' : '';
        return { ok: false, error: `HTTP ${response.statusCode}${redirect}` };
      } catch (error) {
        return { ok: false, error: clean(describe(error, timeout.aborted, timeoutMs)) };
      }
    },
    close: () => agent.close(),
  };
}

/** A short reason from what failed, never from what the receiver said. */
function describe(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof AddressRefusedError) return cause.message;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error instanceof Error && error.name === 'AbortError' ? 'interrupted' : 'network error';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'connection closed by the receiver';
  if (code.endsWith('TIMEOUT')) return `no answer within ${timeoutMs / 1000} s`;
  return `network error (${code})`;
}

const clean = (text: string): string => text.replace(/\p{Cc}+/gu, ' ').slice(0, MAX_ERROR_LENGTH);
