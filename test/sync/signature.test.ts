import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebhookKey } from '../../src/accounts/webhook-keys.js';
import { signedBy } from '../../src/sync/webhooks-in.js';

const FIXTURE = new URL('../fixtures/webhooks/message-create.json', import.meta.url);

/** A key pair and a signature made by the openssl CLI, as a foreign signer (Freshchat) would. */
let dir: string;
let body: Buffer;
let publicPem: string;
let pkcs1Pem: string;
let signature: string;

const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'webhook-signature-'));
  body = readFileSync(FIXTURE);
  writeFileSync(join(dir, 'body.json'), body);
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'key.pem');
  openssl('pkey', '-in', 'key.pem', '-pubout', '-out', 'public.pem');
  openssl('rsa', '-pubin', '-in', 'public.pem', '-RSAPublicKey_out', '-out', 'pkcs1.pem');
  openssl('dgst', '-sha256', '-sign', 'key.pem', '-out', 'signature.bin', 'body.json');
  publicPem = readFileSync(join(dir, 'public.pem'), 'utf8');
  pkcs1Pem = readFileSync(join(dir, 'pkcs1.pem'), 'utf8');
  signature = readFileSync(join(dir, 'signature.bin')).toString('base64');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Freshchat's settings screen: an SPKI body under an "RSA PUBLIC KEY" label, on one line. */
const freshchatOneLine = (pem: string) =>
  `-----BEGIN RSA PUBLIC KEY----- ${pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')} -----END RSA PUBLIC KEY-----`;

describe('a webhook public key', () => {
  it.each([
    ['SubjectPublicKeyInfo PEM', () => publicPem],
    ['PKCS#1 PEM', () => pkcs1Pem],
    ["Freshchat's one-line form", () => freshchatOneLine(publicPem)],
    ['bare base64', () => publicPem.replace(/-----[A-Z ]+-----/g, '')],
  ])('is read from %s', (_form, key) => {
    expect(signedBy(parseWebhookKey(key())!, body, signature)).toBe(true);
  });

  it.each([
    ['text that is no key', 'not a key'],
    ['an empty armour', '-----BEGIN PUBLIC KEY----- -----END PUBLIC KEY-----'],
    ['base64 that is no key', '-----BEGIN RSA PUBLIC KEY----- aGVsbG8gd29ybGQ= -----END RSA PUBLIC KEY-----'],
    ['an EC key', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()],
    ['a 512-bit RSA key', generateKeyPairSync('rsa', { modulusLength: 512 }).publicKey.export({ type: 'spki', format: 'pem' }).toString()],
  ])('is refused when it is %s', (_case, key) => {
    expect(parseWebhookKey(key)).toBeNull();
  });
});

describe('X-Freshchat-Signature', () => {
  it('verifies a signature the openssl CLI made over the raw body', () => {
    expect(signedBy(parseWebhookKey(publicPem)!, body, signature)).toBe(true);
  });

  it('fails for a body changed by one byte', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('fixed', 'fixes'));
    expect(signedBy(parseWebhookKey(publicPem)!, tampered, signature)).toBe(false);
  });

  it('fails for the same JSON serialised again (whitespace a proxy or framework might add)', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), null, 2));
    expect(JSON.parse(reserialised.toString('utf8'))).toEqual(JSON.parse(body.toString('utf8')));
    expect(signedBy(parseWebhookKey(publicPem)!, reserialised, signature)).toBe(false);
  });

  it('fails when the header is missing, empty or not base64', () => {
    const key = parseWebhookKey(publicPem)!;
    expect(signedBy(key, body, undefined)).toBe(false);
    expect(signedBy(key, body, '')).toBe(false);
    expect(signedBy(key, body, 'not base64!')).toBe(false);
  });

  it('fails with another key', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(signedBy(parseWebhookKey(other)!, body, signature)).toBe(false);
  });
});
