import type { AuthInfo } from '@modelcontextprotocol/server';
import { AuthError } from './errors.js';

/**
 * Where a provider puts things in its access tokens: data from the provider preset, never hard-coded here. Read by
 * both verifiers, JWT (token-verifier.ts) and introspection (introspection-verifier.ts), through the functions below,
 * so a token's audience, client and scopes mean the same whichever way it was checked. No imports but types and
 * errors.ts: the generator's `doctor` bundles this very file to check sample tokens the way this server does.
 */
export interface TokenRules {
  /** Claims read for granted scopes, merged: each a space-separated string or an array of strings. */
  scopeClaims: readonly string[];
  /**
   * Role or permission claims (Auth0 `permissions`): what the user's roles allow, whatever the client asked for. When
   * present they narrow the scopes (intersection) and never add one: delegated access is what the client requested.
   */
  permissionClaims?: readonly string[];
  /** Claims that only the provider's other JWTs carry (a session token's marker): a token with one is refused. */
  forbiddenClaims?: readonly string[];
  /** Claims read for the client id, first present wins. */
  clientIdClaims: readonly string[];
  /** Allowed signature algorithms: asymmetric only, so a shared secret or `none` can never verify. */
  algorithms: readonly string[];
  /** Required JOSE `typ` header (RFC 9068 `at+jwt`), when the provider sets it: keeps ID tokens out. */
  requiredTyp?: string;
  /** Claims that must have exactly this value: Cognito `token_use: access`, Entra `ver: 2.0`. */
  requiredClaims?: Readonly<Record<string, string>>;
  /** Claims compared with the expected audience when the token has no `aud` (Cognito access tokens: `client_id`). */
  audienceFallbackClaims?: readonly string[];
  /** `if-present`: accept a token without `aud` (Clerk OAuth tokens are not audience-bound). Default `required`. */
  audience?: 'required' | 'if-present';
  /** The token must name its client: keeps first-party session tokens (Supabase, Clerk) out. */
  requireClientId?: boolean;
  /** More `iss` values accepted besides the issuer (Stytch `stytch.com/{project}`, Scalekit's bare environment URL). */
  extraIssuers?: readonly string[];
  /** A short scope in the token (`read`) also grants this prefix + it (Entra: `api://<app>/read`, as clients request it). */
  scopePrefix?: string;
  /** What to change in the provider, appended to the matching refusal so the fix is named where the problem shows. */
  hints?: { audience?: string; issuer?: string; sharedSecret?: string };
}

export type Claims = Readonly<Record<string, unknown>>;

/** Claims only ID tokens carry (OIDC Core 3.1.3.6, 3.3.2.11): an ID token is never an access token. */
const ID_TOKEN_CLAIMS = ['at_hash', 'c_hash'];

/** HS256/384/512: signed with a shared secret that a JWKS never publishes, so no resource server can verify it. */
export function isSharedSecretAlgorithm(alg: unknown): alg is string {
  return typeof alg === 'string' && /^HS\d+$/.test(alg);
}

/** Refuses an ID token: by the claims only ID tokens carry. */
export function checkNotIdToken(claims: Claims): void {
  if (ID_TOKEN_CLAIMS.some((claim) => claims[claim] !== undefined)) {
    throw new AuthError('invalid_token', 'this is an ID token, not an access token: send the access token the authorization server issued');
  }
}

/** Refuses a token whose provider-required claims (Cognito `token_use: access`, Entra `ver: 2.0`) have another value. */
export function checkRequiredClaims(claims: Claims, rules: TokenRules): void {
  for (const [claim, expected] of Object.entries(rules.requiredClaims ?? {})) {
    const actual = claims[claim];
    if (actual === expected) continue;
    if (claim === 'token_use' && actual === 'id') {
      throw new AuthError('invalid_token', 'this is an ID token (token_use "id"), not an access token: send the access token');
    }
    const hint = claim === 'ver' && rules.hints?.issuer ? `: ${rules.hints.issuer}` : '';
    throw new AuthError('invalid_token', `the access token's "${claim}" claim must be ${JSON.stringify(expected)} (got ${JSON.stringify(actual ?? null)})${hint}`);
  }
}

/**
 * The token must be for one of `audiences`: by `aud` when it has one (any other value is refused), else by the
 * rules' fallback claims (a fallback claim with another value is refused too), else only with `audience: if-present`.
 */
export function checkAudience(claims: Claims, rules: TokenRules, audiences: readonly string[]): void {
  const hint = rules.hints?.audience ? ` ${rules.hints.audience}` : '';
  const aud = claims['aud'];
  if (aud !== undefined) {
    const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((value): value is string => typeof value === 'string') : [];
    if (values.some((value) => audiences.includes(value))) return;
    throw new AuthError('invalid_token', `the access token is for another audience (${JSON.stringify(aud)}); this server accepts ${audiences.map((a) => JSON.stringify(a)).join(' or ')}.${hint}`);
  }
  for (const claim of rules.audienceFallbackClaims ?? []) {
    const value = claims[claim];
    if (typeof value === 'string' && audiences.includes(value)) return;
    if (value !== undefined) throw new AuthError('invalid_token', `the access token's "${claim}" ${JSON.stringify(value)} is not one this server accepts.${hint}`);
  }
  if (rules.audience === 'if-present') return;
  throw new AuthError('invalid_token', `the access token has no audience ("aud").${hint}`);
}

/** The client the token was issued to, from the first of the rules' client id claims that holds a string. */
export function readClientId(claims: Claims, rules: TokenRules): string | undefined {
  for (const claim of rules.clientIdClaims) {
    const value = claims[claim];
    if (value !== undefined) return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/**
 * Refuses the provider's JWTs that are not OAuth access tokens: with `requireClientId`, a token that names no client
 * (a first-party session token, or an ID token where only access tokens name the client); and any token carrying
 * one of the `forbiddenClaims`.
 */
export function checkClientId(claims: Claims, rules: TokenRules): void {
  const forbidden = rules.forbiddenClaims?.find((claim) => claims[claim] !== undefined);
  if (forbidden !== undefined) {
    throw new AuthError('invalid_token', `the token carries ${JSON.stringify(forbidden)}, which marks a session token, not an OAuth access token`);
  }
  if (rules.requireClientId && readClientId(claims, rules) === undefined) {
    throw new AuthError('invalid_token', `the access token names no client (${rules.clientIdClaims.join(' or ')}): only OAuth access tokens are accepted, not session or ID tokens`);
  }
}

/** The strings of a scope-like claim: a space-separated string or an array; anything else holds none. */
function claimValues(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item !== '');
  return [];
}

/**
 * Scopes from every listed claim, merged (`scope`, `scp`). `permissionClaims`, when the token has one, can only take
 * scopes away: a client that asked for `read` keeps `read` even when the user's role would allow `write`. With a
 * `prefix`, each scope also grants its prefixed name: Entra writes `read` for a scope clients request as `api://x/read`.
 */
export function readScopes(claims: Claims, scopeClaims: readonly string[], prefix?: string, permissionClaims: readonly string[] = []): string[] {
  const present = permissionClaims.filter((claim) => claims[claim] !== undefined);
  const permitted = present.length > 0 ? new Set(present.flatMap((claim) => claimValues(claims[claim]))) : undefined;
  const scopes = new Set<string>();
  for (const claim of scopeClaims) {
    for (const scope of claimValues(claims[claim])) {
      if (permitted && !permitted.has(scope)) continue;
      scopes.add(scope);
      if (prefix && !scope.startsWith(prefix)) scopes.add(`${prefix}${scope}`);
    }
  }
  return [...scopes];
}

/** What `cnf` binds the token to, as read from the verified claims. */
export interface Confirmation {
  /** RFC 9449: base64url SHA-256 thumbprint (RFC 7638) of the client's DPoP public key. */
  jkt?: string;
  /** Every other confirmation member (`x5t#S256`, `jwk`, `kid`, …): bindings this server cannot verify. */
  unverifiable: string[];
}

/** Reads `cnf` from verified claims; a `cnf` that is present but not an object of strings is a malformed token. */
export function readConfirmation(claims: Claims): Confirmation | undefined {
  const cnf = claims['cnf'];
  if (cnf === undefined) return undefined;
  if (cnf === null || typeof cnf !== 'object' || Array.isArray(cnf)) throw new AuthError('invalid_token', 'the access token\'s "cnf" claim is malformed');
  const { jkt, ...others } = cnf as Record<string, unknown>;
  if (jkt !== undefined && (typeof jkt !== 'string' || jkt === '')) throw new AuthError('invalid_token', 'the access token\'s "cnf.jkt" is malformed');
  return { ...(jkt === undefined ? {} : { jkt }), unverifiable: Object.keys(others) };
}

/** The SDK's `AuthInfo` for checked claims; `resource` is the MCP server URL the token was accepted for. */
export function toAuthInfo(token: string, claims: Claims, rules: TokenRules, { resource, issuer }: { resource: URL | undefined; issuer: string }): AuthInfo {
  return {
    // The SDK's AuthInfo carries the raw token; never forward it to another API (token passthrough is forbidden).
    token,
    clientId: readClientId(claims, rules) ?? '',
    scopes: readScopes(claims, rules.scopeClaims, rules.scopePrefix, rules.permissionClaims),
    ...(typeof claims['exp'] === 'number' ? { expiresAt: claims['exp'] } : {}),
    ...(resource ? { resource } : {}),
    extra: {
      subject: claims['sub'],
      issuer: typeof claims['iss'] === 'string' ? claims['iss'] : issuer,
      claims,
      // What the token is bound to (RFC 7800 `cnf`): the gate demands the matching proof on every request.
      confirmation: readConfirmation(claims),
    },
  };
}

/** The first of `audiences` that is a URL: what `AuthInfo.resource` reports when no resource was configured. */
export function resourceOf(audiences: readonly string[]): URL | undefined {
  const url = audiences.find((value) => URL.canParse(value));
  return url === undefined ? undefined : new URL(url);
}
