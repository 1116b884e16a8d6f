import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { toAuthFailure, type AuthFailure, type ChallengeOptions } from './challenge.js';
import { AuthError } from './errors.js';

export interface BearerAuthOptions {
  /** Scopes every request must carry (in addition to the per-tool scopes the MCP server checks). */
  requiredScopes?: readonly string[];
}

export type BearerAuthResult = { ok: true; authInfo: AuthInfo } | { ok: false; failure: AuthFailure };

/** RFC 6750 §2.1 b64token; anything else in the credentials is a malformed request. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Far above any real access token, far below what could hurt the verifier. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/** The raw token from the Authorization header: the only place a token is accepted (never query or body). */
export function extractBearerToken(header: string | readonly string[] | null | undefined): string | undefined {
  if (Array.isArray(header) && header.length > 1) throw new AuthError('invalid_request', 'send exactly one Authorization header');
  const value: string | undefined = Array.isArray(header) ? header[0] : (header as string | null | undefined) ?? undefined;
  if (value === undefined || value === '') return undefined;
  // Fetch joins repeated headers with ", "; a b64token never contains a comma.
  if (value.includes(',')) throw new AuthError('invalid_request', 'send exactly one Authorization header with one token');
  const match = /^(\S+)(?: (.*))?$/s.exec(value);
  if (!match || match[1]!.toLowerCase() !== 'bearer') return undefined; // another scheme: no bearer credentials
  const token = match[2] ?? '';
  if (!B64TOKEN.test(token)) throw new AuthError('invalid_request', 'the Authorization header must be "Bearer <token>"');
  if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('invalid_token', 'the access token is too long');
  return token;
}

/**
 * The framework-free bearer gate: header → token → verifier → scopes → `AuthInfo`, or a ready-made refusal
 * (status, `WWW-Authenticate`, JSON body). Express and Hono adapters only translate in and out.
 */
export async function authenticateRequest(
  authorization: string | readonly string[] | null | undefined,
  verifier: OAuthTokenVerifier,
  challenge: ChallengeOptions,
  options: BearerAuthOptions = {},
): Promise<BearerAuthResult> {
  const requiredScopes = options.requiredScopes ?? [];
  try {
    const token = extractBearerToken(authorization);
    if (token === undefined) return { ok: false, failure: toAuthFailure(undefined, challenge) };
    const authInfo = await verifier.verifyAccessToken(token);
    // Verifiers enforce `exp` themselves; a token that never expires is refused whatever the verifier says.
    if (authInfo.expiresAt === undefined) throw new AuthError('invalid_token', 'the access token has no expiry');
    const missing = requiredScopes.filter((scope) => !authInfo.scopes.includes(scope));
    if (missing.length > 0) throw new AuthError('insufficient_scope', `this request needs the scope(s): ${missing.join(' ')}`);
    // The SDK's per-tool scope challenges read this to point clients at the same metadata document.
    return { ok: true, authInfo: { ...authInfo, resourceMetadataUrl: challenge.resourceMetadataUrl } };
  } catch (error) {
    // Anything unexpected is refused without details (no stack, no token); the cause stays on the failure for logs.
    const authError = error instanceof AuthError ? error : new AuthError('temporarily_unavailable', 'the token could not be verified; try again shortly', { cause: error });
    return { ok: false, failure: toAuthFailure(authError, challenge, requiredScopes) };
  }
}
