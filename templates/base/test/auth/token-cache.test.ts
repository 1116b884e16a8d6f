import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { cacheVerifiedTokens } from '../../src/auth/token-cache.js';

/** The verified-token cache on its own: a counting verifier and a hand-moved clock. */
function setup(options: { maxEntries?: number } = {}) {
  const clock = 1_000_000_000_000;
  const calls: string[] = [];
  const inner: OAuthTokenVerifier = {
    async verifyAccessToken(token) {
      calls.push(token);
      if (token.startsWith('bad')) throw new Error('invalid');
      return { token, clientId: 'c', scopes: ['read'], expiresAt: Math.floor(clock / 1000) + 300 } satisfies AuthInfo;
    },
  };
  const cache = cacheVerifiedTokens(inner, { now: () => clock, ...options });
  return { cache, calls };
}

describe('the verified-token cache', () => {
  it('verifies a token once and serves repeats from memory', async () => {
    const { cache, calls } = setup();
    const first = await cache.verifyAccessToken('t1');
    expect(await cache.verifyAccessToken('t1')).toBe(first);
    expect(calls).toEqual(['t1']);
  });

  it('drops an entry at exp, at maxAge, and when the key set changes', async () => {
    const start = 1_000_000_000;
    let clock = start * 1000;
    let version = 1;
    const calls: string[] = [];
    const inner: OAuthTokenVerifier = { verifyAccessToken: async (token) => (calls.push(token), { token, clientId: 'c', scopes: [], expiresAt: start + 10 }) };
    const cache = cacheVerifiedTokens(inner, { now: () => clock, keySetVersion: () => version, maxAgeMs: 60_000 });
    await cache.verifyAccessToken('short');
    clock += 9_999;
    await cache.verifyAccessToken('short');
    expect(calls).toHaveLength(1); // still before exp
    clock += 1;
    await cache.verifyAccessToken('short');
    expect(calls).toHaveLength(2); // at exp: verified again (and not stored, it is no longer valid)
    expect(cache.size).toBe(0);

    const long: OAuthTokenVerifier = { verifyAccessToken: async (token) => (calls.push(token), { token, clientId: 'c', scopes: [], expiresAt: start + 3600 }) };
    const cache2 = cacheVerifiedTokens(long, { now: () => clock, keySetVersion: () => version, maxAgeMs: 60_000 });
    calls.length = 0;
    await cache2.verifyAccessToken('long');
    clock += 60_000;
    await cache2.verifyAccessToken('long');
    expect(calls).toHaveLength(2); // maxAge reached
    version++;
    await cache2.verifyAccessToken('long');
    expect(calls).toHaveLength(3); // key set changed
    await cache2.verifyAccessToken('long');
    expect(calls).toHaveLength(3);
  });

  it('never caches a failure', async () => {
    const { cache, calls } = setup();
    await expect(cache.verifyAccessToken('bad')).rejects.toThrow('invalid');
    await expect(cache.verifyAccessToken('bad')).rejects.toThrow('invalid');
    expect(calls).toEqual(['bad', 'bad']);
    expect(cache.size).toBe(0);
  });

  it('never caches a token without exp', async () => {
    const inner: OAuthTokenVerifier = { verifyAccessToken: async (token) => ({ token, clientId: 'c', scopes: [] }) };
    const cache = cacheVerifiedTokens(inner);
    await cache.verifyAccessToken('no-exp');
    expect(cache.size).toBe(0);
  });

  it('keys by the whole token: tokens sharing a prefix or a signature are distinct', async () => {
    const { cache, calls } = setup();
    await cache.verifyAccessToken('header.payload.sig');
    await cache.verifyAccessToken('header.payload.sig2');
    await cache.verifyAccessToken('header.other.sig');
    expect(calls).toHaveLength(3);
  });

  it('is bounded: the least recently used entry makes room', async () => {
    const { cache, calls } = setup({ maxEntries: 2 });
    await cache.verifyAccessToken('a');
    await cache.verifyAccessToken('b');
    await cache.verifyAccessToken('a'); // a is now the most recent
    await cache.verifyAccessToken('c'); // evicts b
    expect(cache.size).toBe(2);
    await cache.verifyAccessToken('a');
    await cache.verifyAccessToken('b');
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('shares one verification between concurrent requests with the same new token', async () => {
    const { cache, calls } = setup();
    await Promise.all(Array.from({ length: 20 }, () => cache.verifyAccessToken('burst')));
    expect(calls).toEqual(['burst']);
  });

  it('refuses a nonsensical configuration when created', () => {
    const inner: OAuthTokenVerifier = { verifyAccessToken: async () => ({ token: '', clientId: '', scopes: [] }) };
    expect(() => cacheVerifiedTokens(inner, { maxEntries: -1 })).toThrow(/maxEntries/);
    expect(() => cacheVerifiedTokens(inner, { maxAgeMs: Number.NaN })).toThrow(/maxAgeMs/);
  });
});
