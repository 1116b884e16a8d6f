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
}

/** RFC 7230 quoted-string: escape `\` and `"`, and replace anything outside printable ASCII so no header can be split. */
export function quoteHeaderValue(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7E]/g, ' ')}"`;
}

/** Builds `WWW-Authenticate: Bearer …`; every parameter value goes through `quoteHeaderValue`. */
export function buildBearerChallenge(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${quoteHeaderValue(value)}`);
  return parts.length > 0 ? `Bearer ${parts.join(', ')}` : 'Bearer';
}

/**
 * The one place an auth error becomes an HTTP answer.
 * - no credentials at all (`error` undefined): 401 with a challenge but no error code (RFC 6750 §3.1);
 * - `invalid_request` 400, `invalid_token` 401, `insufficient_scope` 403, each with a challenge;
 * - `temporarily_unavailable` 503 with `Retry-After` and no challenge: the token may be fine, the provider is not.
 */
export function toAuthFailure(error: AuthError | undefined, options: ChallengeOptions, requiredScopes?: readonly string[]): AuthFailure {
  if (error === undefined) {
    // The commonest refusal (every client's first request) is the same every time: built once per server.
    let failure = noCredentials.get(options);
    if (!failure) noCredentials.set(options, (failure = deepFreeze(buildAuthFailure(undefined, options))));
    return failure;
  }
  return buildAuthFailure(error, options, requiredScopes);
}

const noCredentials = new WeakMap<ChallengeOptions, AuthFailure>();

function deepFreeze(failure: AuthFailure): AuthFailure {
  Object.freeze(failure.headers);
  Object.freeze(failure.body);
  return Object.freeze(failure);
}

function buildAuthFailure(error: AuthError | undefined, options: ChallengeOptions, requiredScopes?: readonly string[]): AuthFailure {
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
  const challenge = buildBearerChallenge({
    error: error?.code,
    error_description: error?.message,
    scope,
    resource_metadata: options.resourceMetadataUrl,
  });
  const status = error === undefined ? 401 : error.code === 'invalid_request' ? 400 : error.code === 'insufficient_scope' ? 403 : 401;
  return {
    status,
    headers: { ...json, 'WWW-Authenticate': challenge },
    body: error
      ? { error: error.code, error_description: error.message }
      : { error_description: 'An access token is required: authorize with the authorization server named in the protected resource metadata.' },
  };
}
