/**
 * Freshchat-style webhooks from the sandbox (docs/sync.md "The sandbox"): the conversation writes it
 * receives are announced as Freshchat announces them (docs/freshchat-api.md: `message_create`,
 * `conversation_assignment`, `conversation_resolution`, `conversation_reopen`), POSTed to one URL per
 * account, compact JSON signed with the sandbox's own RSA key: `X-Freshchat-Signature` is base64
 * RSA PKCS#1 v1.5 SHA-256 over the body bytes. Deliveries go out one at a time in event order; a
 * non-2xx answer or none within 3 s is retried twice (`X-Retry-Count` 1, 2), as a receiver must expect.
 */
import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export type WebhookAction = 'message_create' | 'conversation_assignment' | 'conversation_resolution' | 'conversation_reopen';

export interface WebhookEvent {
  actor: { actor_type: string; actor_id: string | null };
  action: WebhookAction;
  action_time: string;
  data: Record<string, unknown>;
}

export interface Delivery {
  action: WebhookAction;
  /** The last HTTP status, 0 when none came. */
  status: number;
  attempts: number;
}

export interface SandboxWebhooks {
  /**
   * The public half of the signing key, as Freshchat's settings screen shows it: one line,
   * `-----BEGIN RSA PUBLIC KEY----- <SubjectPublicKeyInfo base64> -----END RSA PUBLIC KEY-----`.
   */
  readonly publicKey: string;
  /** Where events go; null stops sending (events are then dropped, as with no webhook configured). */
  sendTo(url: string | null): void;
  readonly url: string | null;
  /** Resolves once every event announced so far has been delivered or given up (after `release`, when held). */
  flush(): Promise<void>;
  /**
   * Holds deliveries back until `release()`: a test decides that a webhook arrives after the write's
   * answer, as it does from Freshchat, instead of racing it on loopback.
   */
  hold(): { release(): void };
  readonly deliveries: readonly Delivery[];
  announce(event: WebhookEvent): void;
}

export interface WebhookOptions {
  url?: string | null;
  /** Per delivery attempt; Freshchat's is a few seconds. */
  timeoutMs?: number;
  retryDelayMs?: number;
}

const ATTEMPTS = 3;

export function createSandboxWebhooks(options: WebhookOptions = {}): SandboxWebhooks {
  let keys: { privateKey: KeyObject; oneLine: string } | undefined;
  // Generating a 2048-bit key takes a moment: only a sandbox that sends webhooks (or shows its key) pays.
  const keyPair = () => (keys ??= generateKeys());
  let url = options.url ?? null;
  let queue: Promise<void> = Promise.resolve();
  const deliveries: Delivery[] = [];
  const timeoutMs = options.timeoutMs ?? 3_000;
  const retryDelayMs = options.retryDelayMs ?? 1_000;

  return {
    get publicKey() {
      return keyPair().oneLine;
    },
    get url() {
      return url;
    },
    sendTo(next) {
      url = next;
      if (next !== null) keyPair();
    },
    flush: () => queue,
    hold() {
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      queue = queue.then(() => gate);
      return { release };
    },
    get deliveries() {
      return deliveries;
    },
    announce(event) {
      const target = url;
      if (target === null) return;
      const body = JSON.stringify(event);
      const signature = sign('sha256', Buffer.from(body), { key: keyPair().privateKey, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
      const delivery: Delivery = { action: event.action, status: 0, attempts: 0 };
      deliveries.push(delivery);
      queue = queue.then(() => deliver(target, body, signature, delivery, timeoutMs, retryDelayMs));
    },
  };
}

async function deliver(url: string, body: string, signature: string, delivery: Delivery, timeoutMs: number, retryDelayMs: number): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt).unref());
    delivery.attempts = attempt + 1;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-freshchat-signature': signature, 'x-retry-count': String(attempt) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      delivery.status = response.status;
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      delivery.status = 0;
    }
  }
}

function generateKeys(): { privateKey: KeyObject; oneLine: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return { privateKey, oneLine: `-----BEGIN RSA PUBLIC KEY----- ${spki} -----END RSA PUBLIC KEY-----` };
}
