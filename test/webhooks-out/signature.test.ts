import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newSigningSecret, signedHeaders } from '../../src/webhooks-out/signature.js';

describe('Standard Webhooks signatures', () => {
  it('makes whsec_ secrets of 32 random bytes, never twice the same', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(secret);
  });

  it('signs so that the reference verifier accepts the body as sent', () => {
    const secret = newSigningSecret();
    const body = JSON.stringify({ type: 'helpdesk.change', timestamp: '2025-01-02T03:04:05.000Z', data: { id: 'chg_x' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(secret, 'chg_x', timestamp, body);
    expect(headers).toEqual({ 'webhook-id': 'chg_x', 'webhook-timestamp': String(timestamp), 'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]+=*$/) });
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('matches the reference signer byte for byte', () => {
    const secret = newSigningSecret();
    const at = new Date('2025-01-02T03:04:05.000Z');
    expect(signedHeaders(secret, 'chg_y', at.getTime() / 1000, '{"a":1}')['webhook-signature']).toBe(new Webhook(secret).sign('chg_y', at, '{"a":1}'));
  });

  it('is refused by the reference verifier when the body, id or secret differ', () => {
    const secret = newSigningSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { ...signedHeaders(secret, 'chg_z', timestamp, '{"a":1}') };
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
    expect(() => new Webhook(secret).verify('{"a":1}', { ...headers, 'webhook-id': 'chg_other' })).toThrow();
    expect(() => new Webhook(newSigningSecret()).verify('{"a":1}', headers)).toThrow();
  });
});
