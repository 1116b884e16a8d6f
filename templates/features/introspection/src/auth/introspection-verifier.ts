import { createHash } from 'node:crypto';
import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { createCallLimiter } from './call-limiter.js';
import { DiscoveryError, requireSecureUrl } from './discovery.js';
import { AuthError } from './errors.js';
import { isSecureUrl } from './secure-url.js';
import type { ServerConfigCache } from './server-config-cache.js';
import type { IntrospectionStyle } from './provider.js';
import { checkAudience, checkClientId, resourceOf, toAuthInfo, type TokenRules } from './token-claims.js';

export type { IntrospectionStyle };

/** What one introspection verifier remembers and how hard it may call the provider. Each number bounds memory or load. */
export interface IntrospectionLimits {
  /**
   * Introspection calls in flight at once (default 8). A healthy provider answers in 50–200 ms, so 8 slots verify
   * 40–160 new tokens a second (a token already accepted costs no call: see `cacheVerifiedTokens`), while a spray of
   * made-up tokens holds at most 8 connections to the provider and cannot use up its rate limit for this server's
   * client, which would turn into 503s for everyone.
   */
  maxConcurrentCalls: number;
  /**
   * Calls waiting for a free slot (default 16): room for a burst of clients starting together. Beyond it a NEW token
   * is answered at once with `temporarily_unavailable` (503 + Retry-After); tokens already accepted are answered by
   * the verified-token cache and never wait. A waiter waits at most about (16 / 8) × `timeoutMs` when the provider hangs.
   */
  maxQueuedCalls: number;
  /**
   * Refusals remembered (default 1000), the least recently seen evicted first. They are kept apart from accepted
   * tokens (which live only in `cacheVerifiedTokens`), so a spray of garbage can evict nothing but garbage.
   */
  maxRefusals: number;
  /**
   * Milliseconds a refusal is remembered (default 30 000): a replayed bad token costs one call per 30 s. Short,
   * because "unknown" may only mean the provider has not replicated a token it has just issued.
   */
  refusalTtlMs: number;
}

export const DEFAULT_INTROSPECTION_LIMITS: Readonly<IntrospectionLimits> = Object.freeze({
  maxConcurrentCalls: 8,
  maxQueuedCalls: 16,
  maxRefusals: 1000,
  refusalTtlMs: 30_000,
});

export interface IntrospectionVerifierOptions {
  /** Expected `iss` when the response names one (RFC 7662 `iss` is optional). */
  issuer: string;
  /** The token must be for one of these (`aud`, or a fallback claim such as `client_id` where the rules say so). */
  audience: string | readonly string[];
  /** The MCP server URL, reported as `AuthInfo.resource`. */
  resource?: URL;
  rules: TokenRules;
  style: IntrospectionStyle;
  /**
   * The endpoint; default: the metadata's `introspection_endpoint` (or Google's tokeninfo). Either must be https, or
   * http on loopback: it receives this server's credentials and users' tokens.
   */
  endpoint?: string;
  /** Client credentials (HTTP Basic, RFC 7662 §2.1) or a bearer token (Ory Network API key) for the endpoint. */
  credentials?: { clientId: string; clientSecret: string } | { bearerToken: string };
  server: ServerConfigCache;
  /** Overrides of `DEFAULT_INTROSPECTION_LIMITS`. */
  limits?: Partial<IntrospectionLimits>;
  /** Per-request timeout in milliseconds (default 5000). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

export const GOOGLE_TOKENINFO = 'https://oauth2.googleapis.com/tokeninfo';

interface Refusal {
  error: AuthError;
  /** Epoch milliseconds after which the refusal is forgotten and the token asked about again. */
  until: number;
}

/** A verifier with its memory of refusals exposed for tests and operators. */
export interface IntrospectionVerifier extends OAuthTokenVerifier {
  /** Refusals remembered now. */
  readonly size: number;
  clear(): void;
}

/**
 * Verifies opaque access tokens by asking the authorization server (RFC 7662 token introspection). It remembers
 * no accepted token: `cacheVerifiedTokens` in front of it (see mcp-auth.ts) keeps those for at most
 * AUTH_TOKEN_CACHE_SECONDS, so a token revoked at the provider stops working within that time, whatever its `exp`.
 * It does remember refusals, briefly and in a bounded map keyed by the token's SHA-256 (raw tokens are never
 * kept), lets concurrent checks of one token share one call, and bounds the calls in flight and waiting (see
 * `IntrospectionLimits`). An unreachable or failing endpoint, or a full queue, is a 503 (`temporarily_unavailable`),
 * never a refusal of a token that may be valid, and is never remembered.
 */
export function createIntrospectionVerifier(options: IntrospectionVerifierOptions): IntrospectionVerifier {
  const audiences = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  const issuers = [options.issuer, ...(options.rules.extraIssuers ?? [])];
  const limits = { ...DEFAULT_INTROSPECTION_LIMITS, ...options.limits };
  for (const name of ['maxRefusals', 'refusalTtlMs'] as const) {
    if (!Number.isInteger(limits[name]) || limits[name] < 0) throw new TypeError(`introspection limits: ${name} must be a non-negative integer`);
  }
  const calls = createCallLimiter({ maxConcurrent: limits.maxConcurrentCalls, maxQueued: limits.maxQueuedCalls });
  const configuredEndpoint = options.endpoint === undefined ? undefined : new URL(options.endpoint);
  if (configuredEndpoint && !isSecureUrl(configuredEndpoint)) {
    throw new TypeError(`introspection endpoint ${configuredEndpoint.href} must use https (http is only for localhost): it receives this server's credentials and users' tokens`);
  }
  const resource = options.resource ?? resourceOf(audiences);
  // Read the clock through `Date.now()` each time (a captured `Date.now` would miss a test that moves the clock).
  const now = options.now ?? (() => Date.now());
  const doFetch = options.fetch ?? fetch;
  const refusals = new Map<string, Refusal>();
  const inFlight = new Map<string, Promise<AuthInfo>>();

  async function endpoint(): Promise<URL> {
    if (configuredEndpoint) return configuredEndpoint;
    if (options.style === 'google-tokeninfo') return new URL(GOOGLE_TOKENINFO);
    const { metadata } = await options.server.get();
    const found = (metadata as { introspection_endpoint?: unknown }).introspection_endpoint;
    if (typeof found !== 'string') {
      throw new DiscoveryError(`${options.issuer} publishes no introspection_endpoint: set AUTH_INTROSPECTION_ENDPOINT`, 'misconfigured');
    }
    return requireSecureUrl(found, 'introspection_endpoint', "this server's credentials and users' tokens would travel in clear");
  }

  async function introspect(token: string): Promise<Record<string, unknown>> {
    const url = await endpoint();
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

  function rememberRefusal(key: string, error: AuthError) {
    if (limits.maxRefusals === 0) return;
    refusals.delete(key);
    refusals.set(key, { error, until: now() + limits.refusalTtlMs });
    while (refusals.size > limits.maxRefusals) refusals.delete(refusals.keys().next().value!);
  }

  async function introspectOnce(token: string, key: string): Promise<AuthInfo> {
    const call = calls.run(() => introspect(token));
    if (!call) throw new AuthError('temporarily_unavailable', 'too many new tokens are being verified right now; try again shortly');
    const claims = await call; // outages and misconfiguration throw here and are never remembered
    try {
      return toResult(token, claims);
    } catch (error) {
      if (error instanceof AuthError && error.code === 'invalid_token') rememberRefusal(key, error);
      throw error;
    }
  }

  return {
    get size() {
      return refusals.size;
    },
    clear: () => refusals.clear(),
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const key = createHash('sha256').update(token).digest('base64url');
      const refused = refusals.get(key);
      if (refused) {
        refusals.delete(key);
        if (refused.until > now()) {
          refusals.set(key, refused); // most recently seen goes last
          throw refused.error;
        }
      }
      const pending = inFlight.get(key);
      if (pending) return pending;
      const verification = introspectOnce(token, key).finally(() => inFlight.delete(key));
      inFlight.set(key, verification);
      return verification;
    },
  };
}

/** Google's tokeninfo → RFC 7662 shape: `exp` is a string of seconds, and there is no `active` (a 200 means active). */
function fromTokenInfo(info: Record<string, unknown>): Record<string, unknown> {
  const exp = Number(info['exp'] ?? (typeof info['expires_in'] !== 'undefined' ? Math.floor(Date.now() / 1000) + Number(info['expires_in']) : NaN));
  return { ...info, active: !info['error'] && !info['error_description'], ...(Number.isFinite(exp) ? { exp } : { exp: undefined }) };
}
