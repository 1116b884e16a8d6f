import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { DiscoveryError } from './discovery.js';
import { AuthError } from './errors.js';
import { createKeySet, type KeySet } from './key-set.js';
import type { ServerConfigCache } from './server-config-cache.js';
import { checkAudience, checkClientId, checkNotIdToken, checkRequiredClaims, isSharedSecretAlgorithm, resourceOf, toAuthInfo, type TokenRules } from './token-claims.js';

// Still importable from here, as before the rules moved to token-claims.ts.
export type { TokenRules } from './token-claims.js';

export interface JwtVerifierOptions {
  /** Expected `iss`, byte for byte. */
  issuer: string;
  /** Expected `aud`: the token must carry one of these. */
  audience: string | readonly string[];
  /** The MCP server URL, reported as `AuthInfo.resource`. */
  resource?: URL;
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
  const { issuer, server, rules } = options;
  const audiences = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  const issuers = [issuer, ...(rules.extraIssuers ?? [])];
  const algorithms = [...rules.algorithms];
  const bad = algorithms.filter((alg) => !ASYMMETRIC.test(alg));
  if (algorithms.length === 0 || bad.length > 0) throw new Error(`token algorithms must be asymmetric; refusing ${bad.join(', ') || '(none)'}`);
  const clockTolerance = Math.min(options.clockToleranceSeconds ?? 30, 60);
  const resource = options.resource ?? resourceOf(audiences);
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
      refuseSharedSecret(token, rules);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await keySet(), {
          issuer: issuers,
          algorithms,
          clockTolerance,
          requiredClaims: ['exp'],
          ...(rules.requiredTyp ? { typ: rules.requiredTyp } : {}),
        }));
      } catch (error) {
        throw toAuthError(error, token, rules);
      }
      checkClaims(payload, rules, audiences);
      return toAuthInfo(token, payload, rules, { resource, issuer });
    },
  };
}

/**
 * HS256/384/512 tokens are signed with a shared secret that a JWKS never publishes: no resource server can verify
 * them, so say what to change in the provider instead of a bare "bad signature".
 */
function refuseSharedSecret(token: string, rules: TokenRules): void {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return; // not a JWS at all: jwtVerify says so
  }
  if (isSharedSecretAlgorithm(alg)) {
    const fix = rules.hints?.sharedSecret ? `: ${rules.hints.sharedSecret}` : '';
    throw new AuthError('invalid_token', `the access token is signed with ${alg}, a shared secret this server cannot verify${fix}`);
  }
}

/** Checks the provider-specific rules jose does not know: audience forms, required claims, ID tokens, client id. */
function checkClaims(payload: JWTPayload, rules: TokenRules, audiences: readonly string[]): void {
  checkNotIdToken(payload);
  checkRequiredClaims(payload, rules);
  checkAudience(payload, rules, audiences);
  checkClientId(payload, rules);
}

function toAuthError(error: unknown, token: string, rules: TokenRules): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss') {
    const iss = safeClaim(token, 'iss');
    const hint = rules.hints?.issuer ? ` ${rules.hints.issuer}` : '';
    return new AuthError('invalid_token', `the access token was issued by ${JSON.stringify(iss ?? null)}, not by this server's issuer.${hint}`, { cause: error });
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'typ' && rules.requiredTyp) {
    return new AuthError('invalid_token', `the access token's typ header is not "${rules.requiredTyp}": an ID token or session token is not an access token`, { cause: error });
  }
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

function safeClaim(token: string, claim: string): unknown {
  try {
    return decodeJwt(token)[claim];
  } catch {
    return undefined;
  }
}
