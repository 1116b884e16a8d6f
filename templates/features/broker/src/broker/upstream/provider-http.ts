/**
 * HTTP with the provider, shared by oidc.ts and oauth2.ts: every request has a timeout, and every failure becomes an
 * UpstreamError of the right kind (network, timeout, 5xx → `unavailable`; an OAuth `error` → `refused` with its
 * code; anything else malformed → `invalid`). Messages name the endpoint, never a token or a secret.
 */
import { isSecureUrl } from '../../auth/secure-url.js';
import { UpstreamError, type BrokerClock, type UpstreamTokens } from '../contracts.js';

/** What both kinds of upstream are built from: the one app registered at the provider, and the broker around it. */
export interface ProviderAppOptions {
  /** The provider's issuer (e.g. https://github.com), exactly as it writes it: the only accepted `iss`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Requested at the provider. */
  scopes: readonly string[];
  /** Overrides the userinfo / user endpoint as the example tool's profile URL (Graph `/me` for Entra). */
  profileUrl?: string;
  /** Extra authorization request parameters from the preset (see UpstreamConfig). */
  authorizationParams?: Readonly<Record<string, string>>;
  /** The broker's `/oauth/callback`, registered at the provider. */
  callbackUrl: string;
  now: BrokerClock;
  fetch?: typeof fetch;
}

/** Per request, in milliseconds: a provider slower than this is treated as down. */
export const PROVIDER_TIMEOUT_MS = 5_000;

/** RFC 6749 §3.3 scope token and §5.2 error code shapes: a provider's `error` is passed on only when it fits. */
const ERROR_CODE = /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

export interface ProviderResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Fetches with a timeout; JSON object bodies only. 5xx and 429 are `unavailable`. */
export async function fetchJson(doFetch: typeof fetch, url: string, init: RequestInit, what: string): Promise<ProviderResponse> {
  let response: Response;
  try {
    response = await doFetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
  } catch (error) {
    throw new UpstreamError('unavailable', `the provider's ${what} could not be reached`, undefined, { cause: error });
  }
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel();
    throw new UpstreamError('unavailable', `the provider's ${what} answered ${response.status}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new UpstreamError('invalid', `the provider's ${what} answered ${response.status} without a JSON body`, undefined, { cause: error });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UpstreamError('invalid', `the provider's ${what} answered ${response.status} with something other than a JSON object`);
  }
  return { status: response.status, body: body as Record<string, unknown> };
}

export interface TokenRequest {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** `client_secret_basic` (RFC 6749 §2.3.1, the default) or `client_secret_post` (GitHub, some OIDC providers). */
  authMethod: 'client_secret_basic' | 'client_secret_post';
  params: Record<string, string>;
}

/** RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined and base64-encoded. */
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');

/** A provider's error text may echo what it was sent (a code, a refresh token, the secret): never into a log. */
function redact(text: string, request: TokenRequest): string {
  const sent = [request.clientSecret, ...Object.values(request.params)].filter((value) => value.length >= 8);
  return sent.reduce((out, value) => out.replaceAll(value, '[redacted]'), text);
}

/**
 * POSTs to the token endpoint and returns its JSON answer. An OAuth `error` member is a refusal whatever the status:
 * GitHub answers its errors with HTTP 200.
 */
export async function postTokenRequest(doFetch: typeof fetch, request: TokenRequest): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
  };
  const form = new URLSearchParams(request.params);
  if (request.authMethod === 'client_secret_basic') {
    const credentials = `${formEncode(request.clientId)}:${formEncode(request.clientSecret)}`;
    headers.authorization = `Basic ${btoa(credentials)}`;
  } else {
    form.set('client_id', request.clientId);
    form.set('client_secret', request.clientSecret);
  }
  const { status, body } = await fetchJson(doFetch, request.tokenUrl, { method: 'POST', headers, body: form }, 'token endpoint');
  if (typeof body.error === 'string') {
    const code = ERROR_CODE.test(body.error) ? body.error : 'invalid_request';
    const description = typeof body.error_description === 'string' ? `: ${redact(body.error_description.slice(0, 200), request)}` : '';
    throw new UpstreamError('refused', `the provider's token endpoint refused (${code}${description})`, code);
  }
  if (status !== 200) throw new UpstreamError('invalid', `the provider's token endpoint answered ${status} without an OAuth error`);
  return body;
}

/** The tokens of a successful token response (RFC 6749 §5.1); `expires_in` becomes an absolute `expiresAt`. */
export function readTokens(body: Record<string, unknown>, now: BrokerClock): UpstreamTokens {
  const { access_token: accessToken, token_type: tokenType, refresh_token: refreshToken, expires_in: expiresIn, scope } = body;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new UpstreamError('invalid', "the provider's token response has no access_token");
  }
  // Only bearer tokens can be used the way the broker uses them (DPoP-bound tokens would need the provider's key).
  if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
    throw new UpstreamError('invalid', `the provider issued a ${tokenType.slice(0, 20)} token; only Bearer tokens are supported`);
  }
  const tokens: UpstreamTokens = { accessToken };
  if (typeof refreshToken === 'string' && refreshToken !== '') tokens.refreshToken = refreshToken;
  const seconds = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) tokens.expiresAt = now() + Math.floor(seconds);
  if (typeof scope === 'string') tokens.scope = scope;
  return tokens;
}

/** RFC 7636: a code challenge must be the S256 form (43 base64url characters) the broker computed. */
export function requireS256Challenge(codeChallenge: string): void {
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) throw new TypeError('codeChallenge must be an S256 challenge (43 base64url characters)');
}

/** A configured provider URL (endpoint, profile URL): https, or http on loopback only, or a TypeError naming it. */
export function requireSecureEndpoint(value: string, name: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !isSecureUrl(url)) throw new TypeError(`the provider's ${name} endpoint must be an https URL (got ${value})`);
  return url.href;
}
