import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { DiscoveryError } from './discovery.js';
import { AuthError } from './errors.js';
import { createKeySet, type KeySet } from './key-set.js';
import type { ServerConfigCache } from './server-config-cache.js';

/** Where a provider puts things in its access tokens: data from the provider preset, never hard-coded here. */
export interface TokenRules {
  /** Claims read for granted scopes, first present wins: a space-separated string or an array of strings. */
  scopeClaims: readonly string[];
  /** Claims read for the client id, first present wins. */
  clientIdClaims: readonly string[];
  /** Allowed signature algorithms: asymmetric only, so a shared secret or `none` can never verify. */
  algorithms: readonly string[];
  /** Required JOSE `typ` header (RFC 9068 `at+jwt`), when the provider sets it: keeps ID tokens out. */
  requiredTyp?: string;
}

export interface JwtVerifierOptions {
  /** Expected `iss`, byte for byte. */
  issuer: string;
  /** Expected `aud` (one of the token's audiences). */
  audience: string;
  server: ServerConfigCache;
  rules: TokenRules;
  /** Seconds of clock skew tolerated for `exp` and `nbf` (default 30, at most 60). */
  clockToleranceSeconds?: number;
}

const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$|^ES256K$/;

/** jose failures that say something about the token (401), as opposed to the key set being unreachable (503). */
const TOKEN_ERRORS = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKInvalid,
];

/**
 * Verifies JWT access tokens against the issuer's JWKS (found by discovery, created once and shared: jose caches
 * keys, collapses concurrent fetches, and refetches on an unknown `kid` at most once per cooldown) and maps the
 * claims to the SDK's `AuthInfo`.
 */
export function createJwtVerifier(options: JwtVerifierOptions): OAuthTokenVerifier {
  const { issuer, audience, server, rules } = options;
  const algorithms = [...rules.algorithms];
  const bad = algorithms.filter((alg) => !ASYMMETRIC.test(alg));
  if (algorithms.length === 0 || bad.length > 0) throw new Error(`token algorithms must be asymmetric; refusing ${bad.join(', ') || '(none)'}`);
  const clockTolerance = Math.min(options.clockToleranceSeconds ?? 30, 60);
  let jwks: KeySet | undefined;

  async function keySet() {
    if (jwks) return jwks;
    const { metadata } = await server.get();
    if (!metadata.jwks_uri) throw new DiscoveryError(`${issuer} publishes no jwks_uri: its tokens cannot be verified locally`, 'misconfigured');
    // The refetch policy (timeout, kid cooldown, max age, failure backoff) is spelled out in key-set.ts.
    jwks ??= createKeySet(new URL(metadata.jwks_uri));
    return jwks;
  }

  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await keySet(), {
          issuer,
          audience,
          algorithms,
          clockTolerance,
          requiredClaims: ['exp'],
          ...(rules.requiredTyp ? { typ: rules.requiredTyp } : {}),
        }));
      } catch (error) {
        throw toAuthError(error);
      }
      return toAuthInfo(token, payload, rules, audience);
    },
  };
}

function toAuthError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (TOKEN_ERRORS.some((type) => error instanceof type)) {
    return new AuthError('invalid_token', describeTokenError(error as errors.JOSEError), { cause: error });
  }
  // Discovery failures, JWKS timeouts, non-200 or non-JSON JWKS answers (a plain JOSEError), network errors.
  return new AuthError('temporarily_unavailable', 'the authorization server cannot be reached to verify the token; try again shortly', { cause: error });
}

function describeTokenError(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'the access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the access token's "${error.claim}" claim is not acceptable (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the access token is signed with an algorithm this server does not accept';
  if (error instanceof errors.JWKSNoMatchingKey) return "the access token's signing key is not one of the issuer's keys";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the access token's signature is invalid";
  return 'the access token is malformed';
}

function readClaim(payload: JWTPayload, names: readonly string[]): unknown {
  for (const name of names) if (payload[name] !== undefined) return payload[name];
  return undefined;
}

export function readScopes(payload: JWTPayload, claims: readonly string[]): string[] {
  const value = readClaim(payload, claims);
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

function toAuthInfo(token: string, payload: JWTPayload, rules: TokenRules, audience: string): AuthInfo {
  const clientId = readClaim(payload, rules.clientIdClaims);
  const resource = URL.canParse(audience) ? new URL(audience) : undefined;
  return {
    // The SDK's AuthInfo carries the raw token; never forward it to another API (token passthrough is forbidden).
    token,
    clientId: typeof clientId === 'string' ? clientId : '',
    scopes: readScopes(payload, rules.scopeClaims),
    expiresAt: payload.exp,
    ...(resource ? { resource } : {}),
    extra: { subject: payload.sub, issuer: payload.iss, claims: payload },
  };
}
