import { createRemoteJWKSet, customFetch, jwksCache, type JWTVerifyGetKey } from 'jose';
import { requireSecureUrl } from './discovery.js';

/** How the issuer's JWKS is fetched and refetched. Every number bounds a rate or a wait. */
export interface KeySetPolicy {
  /** Milliseconds before a JWKS request is abandoned (the request then gets a 503). */
  timeoutMs: number;
  /**
   * Milliseconds after a successful fetch during which an unknown `kid` does NOT trigger a refetch: a new key is
   * picked up at most this long after the provider publishes it, and forged `kid`s cost one fetch per window.
   */
  cooldownMs: number;
  /**
   * Milliseconds a fetched key set is used before it is refetched on the next verification. Also the longest a token
   * signed with a key the provider removed from its JWKS is still accepted, cached verifications included.
   */
  maxAgeMs: number;
  /**
   * Milliseconds after a failed fetch during which no new fetch is made: verifications that need the network fail
   * at once (503) instead of each hammering a provider that is already down. Recovery is automatic after it.
   */
  failureBackoffMs: number;
}

export const DEFAULT_KEY_SET_POLICY: Readonly<KeySetPolicy> = Object.freeze({
  timeoutMs: 5000,
  cooldownMs: 30_000,
  maxAgeMs: 600_000,
  failureBackoffMs: 5000,
});

/** The key set jose verifies with, plus how many key sets it has loaded so far. */
export type KeySet = JWTVerifyGetKey & {
  /** Grows each time a key set is (re)loaded: a cached verification made under an older one must be redone. */
  readonly generation: number;
};

/**
 * Process-wide count of key set loads and expiries, for caches that sit in front of a verifier they cannot see into.
 */
let changes = 0;
/** When each loaded key set reaches its max age (epoch ms); an entry is removed once counted, a reload adds it back. */
const staleAt = new Map<object, number>();

/**
 * Changes whenever any key set in this process is (re)loaded or reaches its max age. Cheap: read it on every cache
 * hit. Counting the expiry means a cached verification never outlives the key set that vouched for it: a token
 * signed with a key removed from the JWKS is refused at most `maxAgeMs` after the last fetch, however long the
 * verified-token cache keeps entries (AUTH_TOKEN_CACHE_SECONDS).
 */
export function keySetGeneration(): number {
  if (staleAt.size > 0) {
    const now = Date.now();
    for (const [keySet, at] of staleAt) {
      if (at > now) continue;
      staleAt.delete(keySet);
      changes++;
    }
  }
  return changes;
}

export class KeySetBackoffError extends Error {
  override readonly name = 'KeySetBackoffError';
}

/**
 * The issuer's JWKS, created once per issuer and shared by every request: jose caches the keys, collapses
 * concurrent fetches and refetches on an unknown `kid` at most once per `cooldownMs`. On top of jose this adds a
 * failure backoff (at most one fetch per `failureBackoffMs` while the JWKS endpoint is down or slow, whatever the
 * traffic or the forged `kid`s) and a generation counter so the verified-token cache drops what a new key set no
 * longer vouches for (a key rotated out). A plain-http `url` on a public host is refused (DiscoveryError
 * `misconfigured`) before anything is fetched: whoever controls the keys controls every token.
 */
export function createKeySet(url: URL, policy: Partial<KeySetPolicy> = {}): KeySet {
  requireSecureUrl(url, 'jwks_uri', 'a network attacker could substitute the signing keys and forge any token');
  const { timeoutMs, cooldownMs, maxAgeMs, failureBackoffMs } = { ...DEFAULT_KEY_SET_POLICY, ...policy };
  for (const [name, value] of Object.entries({ timeoutMs, cooldownMs, maxAgeMs, failureBackoffMs })) {
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`key set policy: ${name} must be a non-negative integer`);
  }
  let failedAt = -Infinity;
  let generation = 0;
  const guardedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (Date.now() - failedAt < failureBackoffMs) throw new KeySetBackoffError('the JWKS endpoint failed moments ago; not retrying yet');
    try {
      const response = await fetch(input, init);
      if (response.status !== 200) failedAt = Date.now();
      return response;
    } catch (error) {
      failedAt = Date.now();
      throw error;
    }
  };
  // jose writes `uat`/`jwks` here after every successful load: the cheapest way to notice a new key set.
  const cache: { uat?: number; jwks?: unknown } = {};
  let seenUat: number | undefined;
  const remote = createRemoteJWKSet(url, {
    timeoutDuration: timeoutMs,
    cooldownDuration: cooldownMs,
    cacheMaxAge: maxAgeMs,
    [customFetch]: guardedFetch,
    [jwksCache]: cache as never,
  });
  const getKey = (async (header, token) => {
    try {
      return await remote(header, token);
    } finally {
      if (cache.uat !== seenUat) {
        seenUat = cache.uat;
        generation++;
        changes++;
        if (seenUat !== undefined) staleAt.set(getKey, seenUat + maxAgeMs);
        failedAt = -Infinity;
      }
    }
  }) as JWTVerifyGetKey;
  return Object.defineProperty(getKey, 'generation', { get: () => generation, enumerable: true }) as KeySet;
}
