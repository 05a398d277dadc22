import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bindingAad, createCredentialCipher, keyIdOf, type TokenBinding } from '../../src/accounts/crypto.js';
import { newKey } from './databases.js';

const binding = (accountId: string, change: Partial<TokenBinding> = {}): Buffer =>
  bindingAad({ accountId, apiUrl: 'https://acme.freshchat.com/v2', tenant: 't-acme', identity: 'identity-1', ...change });

describe('the credential cipher', () => {
  const cipher = createCredentialCipher(newKey());

  it('opens what it sealed for the same account', () => {
    expect(cipher.open(binding('acc_1'), cipher.seal(binding('acc_1'), 'secret-token'))).toBe('secret-token');
  });

  it('uses a fresh 12-byte nonce for every secret', () => {
    const a = cipher.seal(binding('acc_1'), 'secret-token');
    const b = cipher.seal(binding('acc_1'), 'secret-token');
    expect(a.nonce).toHaveLength(12);
    expect(a.nonce.equals(b.nonce)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it('refuses a ciphertext moved to another account (the account id is authenticated)', () => {
    expect(() => cipher.open(binding('acc_2'), cipher.seal(binding('acc_1'), 'secret-token'))).toThrow();
  });

  it.each([
    ['another API URL', { apiUrl: 'https://evil.example/v2' }],
    ['another tenant', { tenant: 't-evil' }],
    ['no tenant', { tenant: null }],
    ['another identity', { identity: 'identity-2' }],
  ])('refuses a token whose binding now says %s (where it goes, who may use it and whose kept state it meets are authenticated)', (_case, change) => {
    expect(() => cipher.open(binding('acc_1', change), cipher.seal(binding('acc_1'), 'secret-token'))).toThrow();
  });

  it('binds unambiguously: moving a character between fields changes the binding', () => {
    expect(bindingAad({ accountId: 'a', apiUrl: 'b:c', tenant: null, identity: 'i' }).equals(bindingAad({ accountId: 'a:b', apiUrl: 'c', tenant: null, identity: 'i' }))).toBe(false);
  });

  it('refuses an altered ciphertext', () => {
    const sealed = cipher.seal(binding('acc_1'), 'secret-token');
    sealed.ciphertext[0]! ^= 1;
    expect(() => cipher.open(binding('acc_1'), sealed)).toThrow();
  });

  it('names its key by an id that does not reveal the key', () => {
    const key = randomBytes(32);
    const id = keyIdOf(key);
    expect(id).toMatch(/^k1_[A-Za-z0-9_-]{12}$/);
    expect(key.toString('base64')).not.toContain(id.slice(3));
    expect(createCredentialCipher(newKey()).currentKeyId).not.toBe(cipher.currentKeyId);
  });

  it('opens rows of the previous key and seals new ones under the current key', () => {
    const previous = newKey();
    const sealedBefore = createCredentialCipher(previous).seal(binding('acc_1'), 'secret-token');
    const rotating = createCredentialCipher(newKey(), previous);
    expect(rotating.open(binding('acc_1'), sealedBefore)).toBe('secret-token');
    expect(rotating.seal(binding('acc_1'), 'x').keyId).toBe(rotating.currentKeyId);
    expect(rotating.currentKeyId).not.toBe(sealedBefore.keyId);
  });
});
