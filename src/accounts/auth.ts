import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { AuthSettings } from './settings.js';
import type { Caller } from './per-request.js';

/**
 * Who is calling (docs/design.md#caller-authentication): with AUTH_JWT_SECRET (HS256) or AUTH_JWKS_URL,
 * `Authorization: Bearer <JWT>` verified with jose (an `exp` required; issuer and audience when set)
 * gives the caller's tenant from the claim AUTH_TENANT_CLAIM. Without either setting there is no caller (`undefined`): every account is allowed.
 */
export type Authenticate = (headers: Headers | Record<string, string | string[] | undefined>) => Promise<Caller | undefined>;

/** A missing or invalid caller token: GraphQL `UNAUTHENTICATED`. Its message never echoes the token. */
export class AuthenticationError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

// Asymmetric algorithms only from a JWKS, HS256 only with the secret: a token can never choose to be
// checked with a weaker scheme (and `none` is never accepted by jose's jwtVerify).
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export function createAuthenticator(settings: AuthSettings | undefined): Authenticate {
  if (!settings) return async () => undefined;
  const key: Uint8Array | JWTVerifyGetKey =
    settings.key.kind === 'secret'
      ? new TextEncoder().encode(settings.key.secret.reveal())
      : createRemoteJWKSet(settings.key.url, { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  const options: JWTVerifyOptions = {
    algorithms: settings.key.kind === 'secret' ? ['HS256'] : JWKS_ALGORITHMS,
    issuer: settings.issuer,
    audience: settings.audience,
    // A token that never expires would be accepted forever, however it leaked.
    requiredClaims: ['exp'],
    clockTolerance: 5,
  };
  return async (headers) => {
    const jwt = bearer(headers);
    if (jwt === undefined) throw new AuthenticationError('Authorization: Bearer <JWT> is required');
    try {
      const { payload } = typeof key === 'function' ? await jwtVerify(jwt, key, options) : await jwtVerify(jwt, key, options);
      const tenant = payload[settings.tenantClaim];
      if (tenant !== undefined && typeof tenant !== 'string') throw new AuthenticationError(`claim ${settings.tenantClaim} must be a string`);
      return { tenant: tenant ?? null };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      throw new AuthenticationError(`invalid token: ${reason(error)}`);
    }
  };
}

function bearer(headers: Parameters<Authenticate>[0]): string | undefined {
  const raw = headers instanceof Headers ? headers.get('authorization') : headers.authorization;
  const value = Array.isArray(raw) ? raw[0] : raw;
  return /^Bearer ([A-Za-z0-9_.-]+)$/.exec(value ?? '')?.[1];
}

/** jose's error classes say what failed without quoting the token. */
function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed && error.reason === 'missing') return `claim ${error.claim} is required`;
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} rejected`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no matching key';
  if (error instanceof errors.JOSEError) return error.code;
  return 'cannot be verified';
}
