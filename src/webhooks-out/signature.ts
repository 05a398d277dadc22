import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signatures (docs/sync.md "Verifying a delivery"): the secret is `whsec_` and
 * the base64 of random bytes, which are the HMAC key; each send is signed over
 * `<webhook-id>.<webhook-timestamp>.<body>` and carries `webhook-signature: v1,<base64 HMAC-SHA256>`.
 */

const PREFIX = 'whsec_';

/** A new endpoint's secret: 32 random bytes (the spec asks for 24 to 64). */
export function newSigningSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers of one send; `timestamp` is the send's time in unix seconds. */
export function signedHeaders(secret: string, id: string, timestamp: number, body: string): SignedHeaders {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
}
