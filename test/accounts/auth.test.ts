import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator, AuthenticationError } from '../../src/accounts/auth.js';
import { isServiceOnly } from '../../src/accounts/auth-scope.js';
import type { AuthSettings } from '../../src/accounts/settings.js';
import { Secret } from '../../src/secret.js';

type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const SECRET = 'hs256-secret-of-at-least-32-characters!!';
const hs256 = (overrides: Partial<AuthSettings> = {}): AuthSettings => ({
  key: { kind: 'secret', secret: new Secret(SECRET) },
  issuer: undefined,
  audience: undefined,
  tenantClaim: 'tenant',
  ...overrides,
});

async function signed(claims: Record<string, unknown>, options: { secret?: string; exp?: string | number; iss?: string; aud?: string } = {}) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(options.exp ?? '5m');
  if (options.iss) jwt = jwt.setIssuer(options.iss);
  if (options.aud) jwt = jwt.setAudience(options.aud);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('authenticate without AUTH_JWT_SECRET or AUTH_JWKS_URL', () => {
  it('has no caller, whatever the headers', async () => {
    expect(await createAuthenticator(undefined)({})).toBeUndefined();
  });
});

describe('authenticate with an HS256 secret', () => {
  const authenticate = createAuthenticator(hs256());

  it('gives the tenant of a valid token', async () => {
    expect(await authenticate(bearer(await signed({ tenant: 'acme' })))).toEqual({ tenant: 'acme' });
  });

  it('reads a Fetch Headers object as well as Node headers', async () => {
    expect(await authenticate(new Headers(bearer(await signed({ tenant: 'acme' }))))).toEqual({ tenant: 'acme' });
  });

  it('gives a null tenant to a token without the claim', async () => {
    expect(await authenticate(bearer(await signed({ sub: 'x' })))).toEqual({ tenant: null });
  });

  it('reads the tenant from AUTH_TENANT_CLAIM', async () => {
    const custom = createAuthenticator(hs256({ tenantClaim: 'https://example.com/org' }));
    expect(await custom(bearer(await signed({ 'https://example.com/org': 'org-1', tenant: 'other' })))).toEqual({ tenant: 'org-1' });
  });

  it.each([
    ['no Authorization header', async () => ({})],
    ['another scheme', async () => ({ authorization: `Basic ${await signed({ tenant: 'a' })}` })],
    ['a token signed with another secret', async () => bearer(await signed({ tenant: 'a' }, { secret: 'another-secret-of-at-least-32-characters' }))],
    ['an expired token', async () => bearer(await signed({ tenant: 'a' }, { exp: Math.floor(Date.now() / 1000) - 3600 }))],
    ['an unsigned token (alg none)', async () => bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ tenant: 'a', exp: 9_999_999_999 })}.`)],
    ['a tampered payload', async () => {
      const [header, , signature] = (await signed({ tenant: 'a' })).split('.');
      return bearer(`${header}.${b64({ tenant: 'b', exp: 9_999_999_999 })}.${signature}`);
    }],
    ['a non-string tenant claim', async () => bearer(await signed({ tenant: ['a', 'b'] }))],
    ['a token without exp (valid forever)', async () => bearer(await new SignJWT({ tenant: 'a' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET)))],
    ['garbage', async () => bearer('not.a.jwt')],
  ])('refuses %s as UNAUTHENTICATED', async (_case, headers) => {
    const error = await authenticate(await headers()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('says a token without exp is refused for lacking it', async () => {
    const forever = await new SignJWT({ tenant: 'a' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(new TextEncoder().encode(SECRET));
    await expect(authenticate(bearer(forever))).rejects.toThrow('invalid token: claim exp is required');
  });

  it('checks issuer and audience when they are set', async () => {
    const strict = createAuthenticator(hs256({ issuer: 'https://idp.example.com/', audience: 'freshchat-subgraph' }));
    const good = await signed({ tenant: 'a' }, { iss: 'https://idp.example.com/', aud: 'freshchat-subgraph' });
    expect(await strict(bearer(good))).toEqual({ tenant: 'a' });
    for (const bad of [
      await signed({ tenant: 'a' }, { iss: 'https://evil.example.com/', aud: 'freshchat-subgraph' }),
      await signed({ tenant: 'a' }, { iss: 'https://idp.example.com/', aud: 'another-api' }),
      await signed({ tenant: 'a' }),
    ]) {
      await expect(strict(bearer(bad))).rejects.toBeInstanceOf(AuthenticationError);
    }
  });

  it('never quotes the token in its error', async () => {
    const jwt = await signed({ tenant: 'a' }, { secret: 'another-secret-of-at-least-32-characters' });
    const error = (await authenticate(bearer(jwt)).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain(jwt.split('.')[2]);
  });
});

describe('authenticate with a JWKS', () => {
  let jwks: Server;
  let url: URL;
  let signer: KeyLike;
  let stranger: KeyLike;
  let fetches = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    signer = pair.privateKey;
    stranger = (await generateKeyPair('ES256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => {
      fetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`);
  });
  afterAll(() => void jwks.close());

  const settings = (): AuthSettings => ({ key: { kind: 'jwks', url }, issuer: 'https://idp.example.com/', audience: 'subgraph', tenantClaim: 'tenant' });
  const es256 = (key: KeyLike, claims: Record<string, unknown> = { tenant: 'acme' }, iss = 'https://idp.example.com/') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(iss).setAudience('subgraph').setExpirationTime('5m').sign(key);

  it('verifies a token signed by a key of the set, fetching the set once', async () => {
    const authenticate = createAuthenticator(settings());
    expect(await authenticate(bearer(await es256(signer)))).toEqual({ tenant: 'acme' });
    expect(await authenticate(bearer(await es256(signer, { tenant: 'beta' })))).toEqual({ tenant: 'beta' });
    expect(fetches).toBe(1);
  });

  it('refuses a token signed by a key outside the set', async () => {
    await expect(createAuthenticator(settings())(bearer(await es256(stranger)))).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses the wrong issuer', async () => {
    await expect(createAuthenticator(settings())(bearer(await es256(signer, {}, 'https://other/')))).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses an HS256 token, whatever its secret (no algorithm confusion)', async () => {
    const jwt = await new SignJWT({ tenant: 'acme' }).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setIssuer('https://idp.example.com/')
      .setAudience('subgraph').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
    await expect(createAuthenticator(settings())(bearer(jwt))).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe('operations that need no caller token', () => {
  it.each([
    ['{ _service { sdl } }', true],
    ['query Sdl { _service { sdl } __typename }', true],
    ['query { ...F } fragment F on Query { _service { sdl } }', true],
    ['{ _service { sdl } freshchat { accountId } }', false],
    ['query { ...F } fragment F on Query { freshchat { accountId } }', false],
    ['{ _entities(representations: []) { __typename } }', false],
    ['mutation { __typename }', false],
  ])('%s → %s', (query, expected) => {
    expect(isServiceOnly(parse(query))).toBe(expected);
  });
});
