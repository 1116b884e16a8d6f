import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { createTokenMemory } from './token-memory.js';

export interface TokenCacheOptions {
  /** Most verified tokens kept; the least recently used one makes room (default 2000, 0 disables the cache). */
  maxEntries?: number;
  /**
   * Milliseconds a verification is reused at most, even if the token lives longer (default 60 000). It bounds how
   * long a cached token can outlive something only the verifier would notice, and keeps the JWKS's own refresh
   * schedule running for a client that sends the same token all day.
   */
  maxAgeMs?: number;
  /**
   * Read on every hit; when it differs from its value at verification time the token is verified again. The JWT
   * verifier's key set generation goes here, so a key rotated out of the JWKS stops vouching for cached tokens.
   */
  keySetVersion?: () => unknown;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

interface Verified {
  authInfo: AuthInfo;
  /** The key set generation read before verifying: an entry of an older one is never served. */
  version: unknown;
}

/** A verifier with a cache in front. `size` and `clear` are for tests and operators. */
export interface CachingTokenVerifier extends OAuthTokenVerifier {
  readonly size: number;
  clear(): void;
}

/**
 * Wraps a token verifier so a client's repeated requests skip the signature check: a bounded LRU of successful
 * verifications, keyed by the SHA-256 of the whole token. An entry is never served at or after the token's `exp`,
 * after `maxAgeMs`, or once the key set changed; failures are never cached; concurrent verifications of one new
 * token share one signature check. Whatever depends on the request (per-tool scopes, Origin) is still checked by
 * the caller every time.
 *
 * @example
 * const verifier = cacheVerifiedTokens(createJwtVerifier(options), { keySetVersion: keySetGeneration });
 */
export function cacheVerifiedTokens(verifier: OAuthTokenVerifier, options: TokenCacheOptions = {}): CachingTokenVerifier {
  const maxEntries = options.maxEntries ?? 2000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new TypeError('token cache: maxEntries must be a non-negative integer');
  if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0) throw new TypeError('token cache: maxAgeMs must be a non-negative number');
  // Read the clock through `Date.now()` each time (a captured `Date.now` would miss a test that moves the clock).
  const now = options.now ?? (() => Date.now());
  const keySetVersion = options.keySetVersion ?? (() => undefined);
  const verified = createTokenMemory<Verified>({ maxEntries, now });

  async function verifyAndStore(token: string, key: string): Promise<AuthInfo> {
    // Read before verifying: a key set reloaded meanwhile makes this entry stale at once, never the other way round.
    const version = keySetVersion();
    const authInfo = Object.freeze(await verifier.verifyAccessToken(token));
    const exp = authInfo.expiresAt;
    // Never served at or after `exp`, nor after `maxAgeMs`; a token without `exp` is not kept at all.
    const until = typeof exp === 'number' && Number.isFinite(exp) ? Math.min(exp * 1000, now() + maxAgeMs) : -Infinity;
    if (until > now()) verified.set(key, { authInfo, version }, until);
    return authInfo;
  }

  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      if (maxEntries === 0) return verifier.verifyAccessToken(token);
      const key = verified.keyOf(token);
      const hit = verified.get(key, (entry) => entry.version === keySetVersion());
      return hit ? hit.authInfo : verified.once(key, () => verifyAndStore(token, key));
    },
    get size() {
      return verified.size;
    },
    clear: () => verified.clear(),
  };
}
