import type { AuthInfo } from '@modelcontextprotocol/server';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { AuthError } from '../auth/errors.js';
import { cacheVerifiedTokens } from '../auth/token-cache.js';
import { StoreUnavailableError, type Broker, type BrokerClock, type BrokerStore } from './contracts.js';
import { readGrant } from './grant-records.js';
import type { Grants } from './grants.js';
import { localKeyLookup, type SigningKeys } from './signing-keys.js';

export interface BrokerVerifierOptions {
  keys: SigningKeys;
  grants: Grants;
  store: BrokerStore;
  issuer: string;
  /** The MCP server: its href is the only accepted `aud`. */
  resource: URL;
  now: BrokerClock;
}

/** Replicas' clocks may differ by a little; our own tokens need no more slack than this. */
const CLOCK_TOLERANCE_SECONDS = 5;
const REQUIRED_CLAIMS = ['iss', 'aud', 'exp', 'iat', 'sub', 'client_id', 'jti', 'grant_id'];

/**
 * The bearer gate's verifier for the broker's own access tokens: the signature against our keys (read from the
 * store, never fetched), RFC 9068 header and claims, then the grant, which must still be live: revoking a grant
 * refuses its tokens from the next request on. Only the signature check is cached (warm requests skip ECDSA);
 * the grant is read every time.
 */
export function createBrokerVerifier(options: BrokerVerifierOptions): Broker['verifier'] {
  const { keys, grants, store, issuer, resource, now } = options;
  const keyLookup = localKeyLookup(keys);

  const signatureChecked = cacheVerifiedTokens(
    {
      async verifyAccessToken(token: string): Promise<AuthInfo> {
        const { payload } = await jwtVerify(token, keyLookup, {
          algorithms: ['ES256'],
          typ: 'at+jwt',
          issuer,
          audience: resource.href,
          requiredClaims: REQUIRED_CLAIMS,
          currentDate: new Date(now() * 1000),
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        checkClaimTypes(payload);
        return { token, clientId: payload['client_id'] as string, scopes: scopesOf(payload), expiresAt: payload.exp!, resource, extra: { claims: payload } };
      },
    },
    { now: () => now() * 1000 },
  );

  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      try {
        const checked = await signatureChecked.verifyAccessToken(token);
        const claims = checked.extra!['claims'] as JWTPayload;
        const grantId = claims['grant_id'] as string;
        const grant = await readGrant(store, grantId, now);
        if (!grant) throw new AuthError('invalid_token', 'the access token was revoked (its grant has ended)');
        // A token and its grant always agree; if they do not, the token is not one we issued for this grant.
        if (grant.clientId !== checked.clientId || grant.identity.subject !== claims.sub) throw new AuthError('invalid_token', 'the access token does not match its grant');
        const { name, email } = grant.identity;
        return {
          ...checked,
          extra: {
            subject: claims.sub,
            issuer,
            claims: { ...claims, ...(name !== undefined ? { name } : {}), ...(email !== undefined ? { email } : {}) },
            provider: grants.providerAccess(grantId),
            grantId,
          },
        };
      } catch (error) {
        throw toAuthError(error);
      }
    },
  };
}

/** jose checks presence; these must also be strings, or the grant lookup and AuthInfo would carry garbage. */
function checkClaimTypes(payload: JWTPayload): void {
  for (const claim of ['sub', 'client_id', 'jti', 'grant_id'] as const) {
    if (typeof payload[claim] !== 'string' || payload[claim] === '') throw new AuthError('invalid_token', `the access token's "${claim}" claim must be a non-empty string`);
  }
  if (payload['scope'] !== undefined && typeof payload['scope'] !== 'string') throw new AuthError('invalid_token', 'the access token\'s "scope" claim must be a string');
}

function scopesOf(payload: JWTPayload): string[] {
  const scope = payload['scope'];
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}

function toAuthError(error: unknown): unknown {
  if (error instanceof AuthError) return error;
  if (error instanceof StoreUnavailableError) return new AuthError('temporarily_unavailable', 'the token cannot be checked right now; try again shortly', { cause: error });
  if (error instanceof errors.JWTExpired) return new AuthError('invalid_token', 'the access token has expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) return new AuthError('invalid_token', `the access token's "${error.claim}" is not acceptable (${error.reason})`, { cause: error });
  if (error instanceof errors.JWKSNoMatchingKey) return new AuthError('invalid_token', 'the access token was not signed by this server', { cause: error });
  if (error instanceof errors.JOSEError) return new AuthError('invalid_token', 'the access token is malformed or its signature is invalid', { cause: error });
  return error; // our own failures (a signing key that cannot be opened…): a 500, logged by the gate
}
