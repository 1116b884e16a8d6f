import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { toAuthFailure, type AuthFailure, type AuthScheme, type ChallengeOptions } from './challenge.js';
import { AuthError } from './errors.js';
import type { Confirmation, SenderConstraintChecker } from './sender-constraint.js';

export interface BearerAuthOptions {
  /** Scopes every request must carry (in addition to the per-tool scopes the MCP server checks). */
  requiredScopes?: readonly string[];
}

export type BearerAuthResult = { ok: true; authInfo: AuthInfo } | { ok: false; failure: AuthFailure };

/** What the gate reads from a request. The HTTP adapters fill it; a bare header value means `{ authorization }`. */
export interface AuthRequest {
  /** Every Authorization header the request carried (adapters pass all of them, so repeats can be refused). */
  authorization: string | readonly string[] | null | undefined;
  /** Every DPoP proof header (RFC 9449), for tokens sent with the DPoP scheme. */
  dpop?: string | readonly string[] | null | undefined;
  /** The HTTP method, which a DPoP proof must name. */
  method?: string;
}

type HeaderValue = AuthRequest['authorization'];

/** RFC 6750 §2.1 b64token; anything else in the credentials is a malformed request. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/**
 * Far above any real access token (Entra tokens with group claims reach ~8 KB), far below what could hurt the
 * verifier. Checked before any parsing, so an oversized value costs nothing. Node itself refuses header blocks over
 * 16 KB with 431 before this code runs.
 */
const MAX_TOKEN_LENGTH = 12 * 1024;
/** Clock skew a verifier may have tolerated; an `expiresAt` older than this is refused on every request. */
const MAX_CLOCK_SKEW_SECONDS = 60;

const BEARER_PREFIX_LENGTH = 'Bearer '.length;

/**
 * The access token and its scheme from the Authorization header: the only place a token is accepted (never query
 * or body). `Bearer` (RFC 6750) and `DPoP` (RFC 9449) carry tokens; any other scheme (Basic…) is no credentials.
 */
export function extractAccessToken(header: HeaderValue): { scheme: AuthScheme; token: string } | undefined {
  if (Array.isArray(header) && header.length > 1) throw new AuthError('invalid_request', 'send exactly one Authorization header');
  const value: string | undefined = Array.isArray(header) ? header[0] : (header as string | null | undefined) ?? undefined;
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_TOKEN_LENGTH + BEARER_PREFIX_LENGTH) throw new AuthError('invalid_request', 'the Authorization header is too long');
  // Fetch joins repeated headers with ", "; a b64token never contains a comma.
  if (value.includes(',')) throw new AuthError('invalid_request', 'send exactly one Authorization header with one token');
  const space = value.indexOf(' ');
  const scheme = (space === -1 ? value : value.slice(0, space)).toLowerCase();
  if (scheme !== 'bearer' && scheme !== 'dpop') {
    // A token scheme glued to control characters is malformed, not another scheme.
    if (/^(bearer|dpop)[^A-Za-z0-9]/i.test(scheme)) throw new AuthError('invalid_request', 'the Authorization header must be "Bearer <token>"');
    return undefined;
  }
  const token = space === -1 ? '' : value.slice(space + 1);
  if (!B64TOKEN.test(token)) throw new AuthError('invalid_request', `the Authorization header must be "${scheme === 'dpop' ? 'DPoP' : 'Bearer'} <token>"`);
  return { scheme, token };
}

/** The raw token when it was sent with the Bearer scheme. */
export function extractBearerToken(header: HeaderValue): string | undefined {
  const credentials = extractAccessToken(header);
  return credentials?.scheme === 'bearer' ? credentials.token : undefined;
}

/** Every value of a header that may arrive as one value, a list, or joined with ", " by fetch. */
function headerValues(value: HeaderValue): string[] {
  if (value === null || value === undefined) return [];
  return (typeof value === 'string' ? [value] : [...value]).flatMap((item) => item.split(',')).map((item) => item.trim());
}

/**
 * The framework-free bearer gate: header → token → verifier → scopes → `AuthInfo`, or a ready-made refusal
 * (status, `WWW-Authenticate`, JSON body). Express and Hono adapters only translate in and out.
 * Not the SDK's `verifyBearerToken`: its `header.split(' ')` accepts `Bearer <token> <anything>`, and it has no
 * single-header, b64token or length check, no DPoP, and answers a request without credentials with `invalid_token`.
 */
export async function authenticateRequest(
  request: AuthRequest | HeaderValue,
  verifier: OAuthTokenVerifier,
  challenge: ChallengeOptions,
  options: BearerAuthOptions & { senderConstraint?: SenderConstraintChecker } = {},
): Promise<BearerAuthResult> {
  const { authorization, dpop, method } = isAuthRequest(request) ? request : { authorization: request, dpop: undefined, method: undefined };
  const requiredScopes = options.requiredScopes ?? [];
  let scheme: AuthScheme = 'bearer';
  try {
    const credentials = extractAccessToken(authorization);
    if (credentials === undefined) return { ok: false, failure: toAuthFailure(undefined, challenge) };
    scheme = credentials.scheme;
    const { token } = credentials;
    const authInfo = await verifier.verifyAccessToken(token);
    // Checked on every request (never cached with the token): the proof belongs to this request alone.
    const confirmation = authInfo.extra?.['confirmation'] as Confirmation | undefined;
    if (options.senderConstraint) {
      await options.senderConstraint.check({ scheme, token, proofs: headerValues(dpop), method: method ?? '' }, confirmation);
    } else if (scheme === 'dpop' || confirmation) {
      throw new AuthError('invalid_token', 'this server accepts bearer tokens only; the token is sender-constrained or sent with another scheme');
    }
    // Verifiers enforce `exp` themselves (and a cached verification is reused only before `exp`); this guard runs on
    // every request anyway, so a token that never expires, or expired, is refused whatever the verifier says.
    const expiresAt = authInfo.expiresAt;
    if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) throw new AuthError('invalid_token', 'the access token has no expiry');
    if (expiresAt + MAX_CLOCK_SKEW_SECONDS < Date.now() / 1000) throw new AuthError('invalid_token', 'the access token has expired');
    const missing = requiredScopes.filter((scope) => !authInfo.scopes.includes(scope));
    if (missing.length > 0) throw new AuthError('insufficient_scope', `this request needs the scope(s): ${missing.join(' ')}`);
    // The SDK's per-tool scope challenges read this to point clients at the same metadata document.
    return { ok: true, authInfo: { ...authInfo, resourceMetadataUrl: challenge.resourceMetadataUrl } };
  } catch (error) {
    // Anything unexpected is refused without details (no stack, no token); the cause stays on the failure for logs.
    const authError = error instanceof AuthError ? error : new AuthError('temporarily_unavailable', 'the token could not be verified; try again shortly', { cause: error });
    return { ok: false, failure: toAuthFailure(authError, challenge, requiredScopes, scheme) };
  }
}

function isAuthRequest(value: AuthRequest | HeaderValue): value is AuthRequest {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
