import { createHash } from 'node:crypto';
import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { DiscoveryError } from './discovery.js';
import { AuthError } from './errors.js';
import type { ServerConfigCache } from './server-config-cache.js';
import { checkAudience, checkClientId, resourceOf, toAuthInfo, type TokenRules } from './token-claims.js';

/** How opaque tokens are checked: RFC 7662, or Google's tokeninfo (same idea, its own wire format). */
export type IntrospectionStyle = 'rfc7662' | 'google-tokeninfo';

export interface IntrospectionVerifierOptions {
  /** Expected `iss` when the response names one (RFC 7662 `iss` is optional). */
  issuer: string;
  /** The token must be for one of these (`aud`, or a fallback claim such as `client_id` where the rules say so). */
  audience: string | readonly string[];
  /** The MCP server URL, reported as `AuthInfo.resource`. */
  resource?: URL;
  rules: TokenRules;
  style: IntrospectionStyle;
  /** The endpoint; default: the metadata's `introspection_endpoint` (or Google's tokeninfo). */
  endpoint?: string;
  /** Client credentials (HTTP Basic, RFC 7662 §2.1) or a bearer token (Ory Network API key) for the endpoint. */
  credentials?: { clientId: string; clientSecret: string } | { bearerToken: string };
  server: ServerConfigCache;
  /** Most results kept; the least recently used makes room (default 1000). */
  maxEntries?: number;
  /** Milliseconds a refusal (inactive token) is remembered, so a replayed bad token costs one call (default 30 000). */
  negativeTtlMs?: number;
  /** Per-request timeout in milliseconds (default 5000). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

export const GOOGLE_TOKENINFO = 'https://oauth2.googleapis.com/tokeninfo';

interface Entry {
  result: AuthInfo | AuthError;
  /** Epoch milliseconds after which the entry is never served. */
  until: number;
}

/** A verifier with its cache exposed for tests and operators. */
export interface IntrospectionVerifier extends OAuthTokenVerifier {
  readonly size: number;
  clear(): void;
}

/**
 * Verifies opaque access tokens by asking the authorization server (RFC 7662 token introspection). An active
 * result is cached until the token's `exp` (never longer), an inactive one briefly; the cache is an LRU bounded by
 * `maxEntries` and keyed by the token's SHA-256, so raw tokens are not kept as keys. An unreachable or failing
 * endpoint is a 503 (`temporarily_unavailable`), never a refusal of a token that may be valid.
 */
export function createIntrospectionVerifier(options: IntrospectionVerifierOptions): IntrospectionVerifier {
  const audiences = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  const issuers = [options.issuer, ...(options.rules.extraIssuers ?? [])];
  const maxEntries = options.maxEntries ?? 1000;
  const negativeTtlMs = options.negativeTtlMs ?? 30_000;
  const resource = options.resource ?? resourceOf(audiences);
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const cache = new Map<string, Entry>();
  if (maxEntries < 0) throw new Error('maxEntries must be 0 or more');

  async function endpoint(): Promise<string> {
    if (options.endpoint) return options.endpoint;
    if (options.style === 'google-tokeninfo') return GOOGLE_TOKENINFO;
    const { metadata } = await options.server.get();
    const found = (metadata as { introspection_endpoint?: unknown }).introspection_endpoint;
    if (typeof found !== 'string') {
      throw new DiscoveryError(`${options.issuer} publishes no introspection_endpoint: set AUTH_INTROSPECTION_ENDPOINT`, 'misconfigured');
    }
    return found;
  }

  async function introspect(token: string): Promise<Record<string, unknown>> {
    const url = new URL(await endpoint());
    const headers: Record<string, string> = { Accept: 'application/json' };
    const credentials = options.credentials;
    if (credentials && 'bearerToken' in credentials) headers['Authorization'] = `Bearer ${credentials.bearerToken}`;
    if (credentials && 'clientId' in credentials) {
      // RFC 6749 §2.3.1: form-encode each part before joining them for Basic.
      const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
      const basic = `${formEncode(credentials.clientId)}:${formEncode(credentials.clientSecret)}`;
      headers['Authorization'] = `Basic ${Buffer.from(basic).toString('base64')}`;
    }
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(options.style === 'google-tokeninfo' ? { access_token: token } : { token, token_type_hint: 'access_token' }),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
    } catch (cause) {
      throw new AuthError('temporarily_unavailable', 'the authorization server cannot be reached to verify the token; try again shortly', { cause });
    }
    // Google's tokeninfo answers 400 for a token it does not know: that is "inactive", not an outage.
    if (options.style === 'google-tokeninfo' && response.status === 400) {
      await response.body?.cancel();
      return { active: false };
    }
    if (!response.ok) {
      await response.body?.cancel();
      const why = response.status === 401 || response.status === 403 ? ' (check AUTH_INTROSPECTION_CLIENT_ID/SECRET)' : '';
      throw new AuthError('temporarily_unavailable', 'the token could not be verified; try again shortly', {
        cause: new Error(`introspection endpoint answered ${response.status}${why}`),
      });
    }
    const body = (await response.json().catch(() => undefined)) as unknown;
    if (!body || typeof body !== 'object') {
      throw new AuthError('temporarily_unavailable', 'the token could not be verified; try again shortly', { cause: new Error('introspection answer is not JSON') });
    }
    return options.style === 'google-tokeninfo' ? fromTokenInfo(body as Record<string, unknown>) : (body as Record<string, unknown>);
  }

  function toResult(token: string, claims: Record<string, unknown>): AuthInfo {
    if (claims['active'] !== true) throw new AuthError('invalid_token', 'the access token is not active (revoked, expired or unknown)');
    const exp = typeof claims['exp'] === 'number' ? claims['exp'] : undefined;
    if (exp === undefined) throw new AuthError('invalid_token', 'the access token has no expiry');
    if (exp * 1000 <= now()) throw new AuthError('invalid_token', 'the access token has expired');
    const iss = claims['iss'];
    if (iss !== undefined && !issuers.includes(String(iss))) {
      throw new AuthError('invalid_token', `the access token was issued by ${JSON.stringify(iss)}, not by this server's issuer`);
    }
    const tokenType = claims['token_type'];
    if (typeof tokenType === 'string' && !/^(bearer|access_token)$/i.test(tokenType)) {
      throw new AuthError('invalid_token', `the token is a ${tokenType}, not an access token`);
    }
    checkAudience(claims, options.rules, audiences);
    checkClientId(claims, options.rules);
    return toAuthInfo(token, claims, options.rules, { resource, issuer: options.issuer });
  }

  function remember(key: string, entry: Entry) {
    if (maxEntries === 0) return;
    cache.delete(key);
    cache.set(key, entry);
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  }

  return {
    get size() {
      return cache.size;
    },
    clear: () => cache.clear(),
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const key = createHash('sha256').update(token).digest('base64url');
      const hit = cache.get(key);
      if (hit && hit.until > now()) {
        cache.delete(key); // LRU: move to the back
        cache.set(key, hit);
        if (hit.result instanceof AuthError) throw hit.result;
        return hit.result;
      }
      if (hit) cache.delete(key);
      const claims = await introspect(token); // outages throw here and are never cached
      try {
        const result = toResult(token, claims);
        remember(key, { result, until: result.expiresAt! * 1000 });
        return result;
      } catch (error) {
        if (error instanceof AuthError && error.code === 'invalid_token') remember(key, { result: error, until: now() + negativeTtlMs });
        throw error;
      }
    },
  };
}

/** Google's tokeninfo → RFC 7662 shape: `exp` is a string of seconds, and there is no `active` (a 200 means active). */
function fromTokenInfo(info: Record<string, unknown>): Record<string, unknown> {
  const exp = Number(info['exp'] ?? (typeof info['expires_in'] !== 'undefined' ? Math.floor(Date.now() / 1000) + Number(info['expires_in']) : NaN));
  return { ...info, active: !info['error'] && !info['error_description'], ...(Number.isFinite(exp) ? { exp } : { exp: undefined }) };
}
