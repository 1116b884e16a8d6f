import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeySet, DEFAULT_KEY_SET_POLICY, KeySetBackoffError } from '../../src/auth/key-set.js';
import { initializeBody, post } from '../helpers/mcp-client.js';
import { startServerWithTestIssuer, type TestServer } from '../helpers/mcp-server.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

/** Keys change, kids are forged, the JWKS is slow: tokens are still checked against what the issuer publishes now. */
let issuer: TestIssuer;
let server: TestServer;

let close: (() => Promise<void>) | undefined;

async function start() {
  ({ issuer, server, close } = await startServerWithTestIssuer());
}
afterEach(async () => {
  vi.useRealTimers();
  await close?.();
  close = undefined;
});

const statusOf = async (token: string) => {
  const response = await post(server.mcpUrl, initializeBody(), { Authorization: `Bearer ${token}` });
  await response.body?.cancel();
  return response.status;
};
const now = () => Math.floor(Date.now() / 1000);
/** Moves only the clock (no fake timers), as a real wait would. */
function later(ms: number) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
}

/** How long a fetched JWKS is used before the next verification refetches it (key-set.ts). */
const KEY_SET_MAX_AGE_MS = DEFAULT_KEY_SET_POLICY.maxAgeMs;

/** The issuer replaces its key: the JWKS now publishes only a new key under a new kid. Returns a signer for it. */
async function rotateIssuerKey(kid = 'test-key-2') {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const published = issuer.publicJwk as Record<string, unknown>;
  for (const name of Object.keys(published)) delete published[name];
  Object.assign(published, await exportJWK(publicKey), { kid, alg: 'RS256', use: 'sig' });
  return (claims: Record<string, unknown> = {}) => issuer.mint(claims, { key: privateKey, header: { kid } });
}

describe('key rotation', () => {
  it('accepts a new kid without a restart once the refetch cooldown (30 s) has passed', async () => {
    await start();
    expect(await statusOf(await issuer.mint())).toBe(200);
    const signWithNewKey = await rotateIssuerKey();
    const fetched = issuer.requests.jwks;
    // Within the cooldown an unknown kid does not trigger a refetch: that is what bounds forged-kid traffic.
    expect(await statusOf(await signWithNewKey())).toBe(401);
    expect(issuer.requests.jwks).toBe(fetched);
    later(31_000);
    expect(await statusOf(await signWithNewKey())).toBe(200);
    expect(issuer.requests.jwks).toBe(fetched + 1);
  });

  it('drops cached tokens whose key was rotated out as soon as a token with the new kid reloads the JWKS', async () => {
    await start();
    const oldToken = await issuer.mint();
    expect(await statusOf(oldToken)).toBe(200);
    expect(await statusOf(oldToken)).toBe(200); // now served from the cache
    const signWithNewKey = await rotateIssuerKey();
    later(31_000); // the cached entry is still young (max age 60 s) and its token far from exp
    expect(await statusOf(await signWithNewKey())).toBe(200); // the server learns the new key set
    expect(await statusOf(oldToken)).toBe(401);
  });

  it('refuses a token whose key was removed from the JWKS once the key set reaches its max age (10 min), with nothing forcing a reload', async () => {
    await start();
    const oldToken = await issuer.mint({ exp: now() + 3600 });
    expect(await statusOf(oldToken)).toBe(200); // the JWKS is fetched now
    const fetched = issuer.requests.jwks;
    await rotateIssuerKey(); // the old key is gone from the JWKS; no client sends a token with the new kid
    // Worst case: the token is verified again just before the key set's max age, against the copy that still holds
    // the removed key. That verification is cached, and must not outlive the key set that vouched for it.
    later(KEY_SET_MAX_AGE_MS - 1000);
    expect(await statusOf(oldToken)).toBe(200);
    expect(issuer.requests.jwks).toBe(fetched);
    later(1000); // the key set's max age since the fetch: the cached verification is dropped, the JWKS refetched
    expect(await statusOf(oldToken)).toBe(401);
    expect(issuer.requests.jwks).toBe(fetched + 1);
  });

  it('never serves a cached token past its exp', async () => {
    await start();
    const token = await issuer.mint({ exp: now() + 5 });
    expect(await statusOf(token)).toBe(200);
    expect(await statusOf(token)).toBe(200);
    later(40_000); // past exp and the 30 s clock tolerance, still within the cache's 60 s max age
    expect(await statusOf(token)).toBe(401);
  });
});

describe('forged kids', () => {
  it('cost at most one JWKS fetch per cooldown, however many arrive', async () => {
    await start();
    expect(await statusOf(await issuer.mint())).toBe(200);
    expect(issuer.requests.jwks).toBe(1);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = (i: number) => issuer.mint({}, { key: privateKey, header: { kid: `forged-${i}` } });
    const burst = async () => Promise.all((await Promise.all(Array.from({ length: 40 }, (_, i) => forged(i)))).map(statusOf));
    expect(await burst()).toEqual(Array(40).fill(401));
    expect(issuer.requests.jwks).toBe(1);
    later(31_000);
    expect(await burst()).toEqual(Array(40).fill(401));
    expect(issuer.requests.jwks).toBe(2);
  });
});

describe('a slow JWKS', () => {
  let hanging: Server | undefined;
  afterEach(() => {
    hanging?.closeAllConnections();
    hanging?.close();
  });

  it('times out, then fails fast without new connections until the backoff has passed', async () => {
    const issuerForTokens = await startTestIssuer({ audience: 'https://mcp.example/mcp' });
    const token = await issuerForTokens.mint();
    await issuerForTokens.close();
    let connections = 0;
    hanging = createServer(() => void connections++); // accepts, never answers
    await new Promise<void>((resolve) => hanging!.listen(0, '127.0.0.1', resolve));
    const keys = createKeySet(new URL(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}/jwks`), { timeoutMs: 200, failureBackoffMs: 1000 });
    await expect(jwtVerify(token, keys)).rejects.toBeInstanceOf(errors.JWKSTimeout);
    await expect(jwtVerify(token, keys)).rejects.toBeInstanceOf(KeySetBackoffError);
    expect(connections).toBe(1);
    later(1001);
    await expect(jwtVerify(token, keys)).rejects.toBeInstanceOf(errors.JWKSTimeout);
    expect(connections).toBe(2);
  });

  it('refuses a policy that would not bound anything', () => {
    expect(() => createKeySet(new URL('https://issuer.example/jwks'), { timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => createKeySet(new URL('https://issuer.example/jwks'), { cooldownMs: 1.5 })).toThrow(/cooldownMs/);
  });
});
