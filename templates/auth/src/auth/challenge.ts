import { AuthError } from './errors.js';

/** What the HTTP layer sends back when a request is refused. Framework adapters only copy it out. */
export interface AuthFailure {
  status: 400 | 401 | 403 | 503;
  headers: Record<string, string>;
  /** Mirrors the challenge: no `error` member when the request carried no credentials. */
  body: { error?: string; error_description: string };
  /** The underlying error of a 503, for the server's log only: never sent. */
  cause?: unknown;
}

export interface ChallengeOptions {
  /** Absolute URL of this server's RFC 9728 protected resource metadata. */
  resourceMetadataUrl: string;
  /** Scopes to advertise on a 401: every scope the tools need, so clients ask for all of them at once. */
  scopes: readonly string[];
  /** DPoP proof algorithms, named in `algs` of a DPoP challenge (RFC 9449 §7.1). */
  dpopAlgorithms?: readonly string[];
}

/** How the refused request presented its token: a refusal answers in the same scheme. */
export type AuthScheme = 'bearer' | 'dpop';

/**
 * RFC 7230 quoted-string: escape `\` and `"`, and replace anything outside printable ASCII so no header can be split.
 * The SDK escapes the same way, but only inside `bearerAuthChallengeResponse`, which we cannot use (see `toAuthFailure`).
 */
export function quoteHeaderValue(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7E]/g, ' ')}"`;
}

/** Builds a `WWW-Authenticate` challenge (`Bearer …` or `DPoP …`); every parameter value goes through `quoteHeaderValue`. */
export function buildChallenge(scheme: 'Bearer' | 'DPoP', params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${quoteHeaderValue(value)}`);
  return parts.length > 0 ? `${scheme} ${parts.join(', ')}` : scheme;
}

/** Builds `WWW-Authenticate: Bearer …`. */
export function buildBearerChallenge(params: Record<string, string | undefined>): string {
  return buildChallenge('Bearer', params);
}

/**
 * The one place an auth error becomes an HTTP answer.
 * - no credentials at all (`error` undefined): 401 with a challenge but no error code (RFC 6750 §3.1);
 * - `invalid_request` 400, `invalid_token` and `invalid_dpop_proof` 401, `insufficient_scope` 403, each with a
 *   challenge in the scheme the token came with (`DPoP` adds the accepted proof algorithms, RFC 9449 §7.1);
 * - `temporarily_unavailable` 503 with `Retry-After` and no challenge: the token may be fine, the provider is not.
 * Not the SDK's `bearerAuthChallengeResponse`: it has no DPoP scheme, no 503 (anything but an OAuthError is a 500),
 * no `Cache-Control: no-store`, no challenge on 400 or without credentials, and it returns a fetch `Response`.
 */
export function toAuthFailure(error: AuthError | undefined, options: ChallengeOptions, requiredScopes?: readonly string[], scheme: AuthScheme = 'bearer'): AuthFailure {
  if (error === undefined) {
    // The commonest refusal (every client's first request) is the same every time: built once per server.
    let failure = noCredentials.get(options);
    if (!failure) noCredentials.set(options, (failure = deepFreeze(buildAuthFailure(undefined, options))));
    return failure;
  }
  return buildAuthFailure(error, options, requiredScopes, scheme);
}

const noCredentials = new WeakMap<ChallengeOptions, AuthFailure>();

function deepFreeze(failure: AuthFailure): AuthFailure {
  Object.freeze(failure.headers);
  Object.freeze(failure.body);
  return Object.freeze(failure);
}

function buildAuthFailure(error: AuthError | undefined, options: ChallengeOptions, requiredScopes?: readonly string[], scheme: AuthScheme = 'bearer'): AuthFailure {
  const json = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
  if (error?.code === 'temporarily_unavailable') {
    return {
      status: 503,
      headers: { ...json, 'Retry-After': '5' },
      body: { error: error.code, error_description: error.message },
      cause: error.cause,
    };
  }
  const scope = (error?.code === 'insufficient_scope' && requiredScopes?.length ? requiredScopes : options.scopes).join(' ');
  const params = { error: error?.code, error_description: error?.message, scope, resource_metadata: options.resourceMetadataUrl };
  const challenge = scheme === 'dpop' ? buildChallenge('DPoP', { ...params, algs: options.dpopAlgorithms?.join(' ') }) : buildChallenge('Bearer', params);
  const status = error === undefined ? 401 : error.code === 'invalid_request' ? 400 : error.code === 'insufficient_scope' ? 403 : 401;
  return {
    status,
    headers: { ...json, 'WWW-Authenticate': challenge },
    body: error
      ? { error: error.code, error_description: error.message }
      : { error_description: 'An access token is required: authorize with the authorization server named in the protected resource metadata.' },
  };
}
