import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { createCallLimiter } from './call-limiter.js';
import { AuthError } from './errors.js';
import { createIntrospectionRequest, type IntrospectionEndpointOptions } from './introspection-request.js';
import { checkAudience, checkClientId, resourceOf, toAuthInfo, type TokenRules } from './token-claims.js';
import { createTokenMemory } from './token-memory.js';

export type { IntrospectionStyle } from './provider.js';

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

export interface IntrospectionVerifierOptions extends IntrospectionEndpointOptions {
  /** The token must be for one of these (`aud`, or a fallback claim such as `client_id` where the rules say so). */
  audience: string | readonly string[];
  /** The MCP server URL, reported as `AuthInfo.resource`. */
  resource?: URL;
  rules: TokenRules;
  /** Overrides of `DEFAULT_INTROSPECTION_LIMITS`. */
  limits?: Partial<IntrospectionLimits>;
  /** Clock in milliseconds (tests). */
  now?: () => number;
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
 * It does remember refusals, briefly and in a token memory of their own (token-memory.ts: bounded, keyed by the
 * token's SHA-256), lets concurrent checks of one token share one call, and bounds the calls in flight and waiting
 * (see `IntrospectionLimits`). An unreachable or failing endpoint, or a full queue, is a 503 (`temporarily_unavailable`),
 * never a refusal of a token that may be valid, and is never remembered.
 */
export function createIntrospectionVerifier(options: IntrospectionVerifierOptions): IntrospectionVerifier {
  const audiences = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  const issuers = [options.issuer, ...(options.rules.extraIssuers ?? [])];
  const limits = { ...DEFAULT_INTROSPECTION_LIMITS, ...options.limits };
  if (!Number.isInteger(limits.refusalTtlMs) || limits.refusalTtlMs < 0) throw new TypeError('introspection limits: refusalTtlMs must be a non-negative integer');
  const calls = createCallLimiter({ maxConcurrent: limits.maxConcurrentCalls, maxQueued: limits.maxQueuedCalls });
  const introspect = createIntrospectionRequest(options);
  const resource = options.resource ?? resourceOf(audiences);
  // Read the clock through `Date.now()` each time (a captured `Date.now` would miss a test that moves the clock).
  const now = options.now ?? (() => Date.now());
  const refusals = createTokenMemory<AuthError>({ maxEntries: limits.maxRefusals, now });

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

  async function introspectOnce(token: string, key: string): Promise<AuthInfo> {
    const call = calls.run(() => introspect(token));
    if (!call) throw new AuthError('temporarily_unavailable', 'too many new tokens are being verified right now; try again shortly');
    const claims = await call; // outages and misconfiguration throw here and are never remembered
    try {
      return toResult(token, claims);
    } catch (error) {
      if (error instanceof AuthError && error.code === 'invalid_token') refusals.set(key, error, now() + limits.refusalTtlMs);
      throw error;
    }
  }

  return {
    get size() {
      return refusals.size;
    },
    clear: () => refusals.clear(),
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const key = refusals.keyOf(token);
      const refused = refusals.get(key);
      if (refused) throw refused;
      return refusals.once(key, () => introspectOnce(token, key));
    },
  };
}
