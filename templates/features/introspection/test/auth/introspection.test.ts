import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthError, DiscoveryError, providerDefaults, tokenRules } from '../../src/auth/index.js';
import {
  createIntrospectionVerifier,
  DEFAULT_INTROSPECTION_LIMITS,
  type IntrospectionVerifier,
  type IntrospectionVerifierOptions,
} from '../../src/auth/introspection-verifier.js';
import { createKeySet } from '../../src/auth/key-set.js';
import { cacheVerifiedTokens } from '../../src/auth/token-cache.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createAttackTable } from '../helpers/attack-table.js';
import { initializeBody, post } from '../helpers/mcp-client.js';
import { startTestServer, type TestServer } from '../helpers/mcp-server.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

/**
 * RFC 7662 introspection for opaque tokens (AUTH_TOKEN_FORMAT=opaque), against a local introspection endpoint:
 * active, inactive, expired, wrong audience, endpoint down (503); what is remembered (refusals only, bounded; a
 * revoked token stops working after AUTH_TOKEN_CACHE_SECONDS), how many calls a spray can cause, and plain http.
 */
const AUDIENCE = 'https://mcp.example.test/mcp';
let provider: TestIssuer;
let clock = Date.now();
const table = createAttackTable('introspection');

beforeAll(async () => {
  provider = await startTestIssuer({ alg: 'RS256' });
});
afterAll(async () => {
  await provider?.close();
  table.flush();
});
beforeEach(() => {
  provider.opaque.clear();
  provider.failIntrospection = undefined;
  provider.metadataOverrides = {};
  provider.holdIntrospection = undefined;
  clock = Date.now();
});
afterEach(() => {
  vi.useRealTimers();
});

const seconds = () => Math.floor(clock / 1000);
/** Plain RFC 7662 rules: what introspection itself guarantees, whatever this project's provider adds. */
const rules = { scopeClaims: ['scope'], clientIdClaims: ['client_id'], algorithms: tokenRules.algorithms };

function verifier(options: Partial<IntrospectionVerifierOptions> = {}): IntrospectionVerifier {
  return createIntrospectionVerifier({
    issuer: provider.issuer,
    audience: AUDIENCE,
    rules,
    style: 'rfc7662',
    endpoint: `${provider.issuer}/introspect`,
    credentials: { clientId: 'resource server', clientSecret: 'p@ss:word' },
    server: { get: () => Promise.reject(new Error('not needed: the endpoint is configured')) },
    now: () => clock,
    ...options,
  });
}

function issue(token: string, claims: Record<string, unknown> = {}) {
  provider.opaque.set(token, { iss: provider.issuer, aud: AUDIENCE, sub: 'alice', client_id: 'inspector', scope: 'read write', exp: seconds() + 300, ...claims });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof AuthError ? error.code : String(error);
  }
}

describe('an opaque token checked by introspection', () => {
  it('that is active is accepted with its scopes, client and expiry, and the credentials are sent form-encoded in Basic', async () => {
    issue('tok-active');
    const info = await verifier().verifyAccessToken('tok-active');
    expect(info).toMatchObject({ clientId: 'inspector', scopes: ['read', 'write'], expiresAt: seconds() + 300 });
    expect(provider.requests.authorization.at(-1)).toBe(`Basic ${Buffer.from('resource+server:p%40ss%3Aword').toString('base64')}`);
  });

  it.each([
    ['inactive (unknown or revoked)', undefined],
    ['expired', { exp: Math.floor(Date.now() / 1000) - 10 }],
    ['without exp', { exp: undefined }],
    ['for another audience', { aud: 'https://other.example/mcp' }],
    ['with an audience that is not a string', { aud: 42 }],
    ['without an audience', { aud: undefined }],
    ['from another issuer', { iss: 'https://evil.example' }],
    ['a refresh token', { token_type: 'refresh_token' }],
  ])('that is %s is refused with invalid_token', async (_case, claims) => {
    if (claims) issue('tok', claims);
    expect(await codeOf(verifier().verifyAccessToken('tok'))).toBe('invalid_token');
  });

  it('while the endpoint is down or failing gets temporarily_unavailable (503), never a refusal, and is not cached', async () => {
    issue('tok-outage');
    const check = verifier();
    provider.failIntrospection = 'down';
    expect(await codeOf(check.verifyAccessToken('tok-outage'))).toBe('temporarily_unavailable');
    provider.failIntrospection = 500;
    expect(await codeOf(check.verifyAccessToken('tok-outage'))).toBe('temporarily_unavailable');
    provider.failIntrospection = 401; // our credentials are wrong: still the server's problem, not the token's
    expect(await codeOf(check.verifyAccessToken('tok-outage'))).toBe('temporarily_unavailable');
    provider.failIntrospection = undefined;
    expect(await codeOf(check.verifyAccessToken('tok-outage'))).toBeUndefined();
  });
});

describe('what the introspection verifier remembers', () => {
  it('keeps no active result: positives live only in the verified-token cache in front of it', async () => {
    issue('tok-active-twice');
    const check = verifier();
    const before = provider.requests.introspection;
    await check.verifyAccessToken('tok-active-twice');
    await check.verifyAccessToken('tok-active-twice');
    expect(provider.requests.introspection - before).toBe(2);
    expect(check.size).toBe(0);
  });

  it('remembers a refusal briefly, so a replayed bad token costs one call, then asks again', async () => {
    const check = verifier();
    const before = provider.requests.introspection;
    for (let i = 0; i < 3; i++) expect(await codeOf(check.verifyAccessToken('tok-bad'))).toBe('invalid_token');
    expect(provider.requests.introspection - before).toBe(1);
    clock += DEFAULT_INTROSPECTION_LIMITS.refusalTtlMs + 1;
    expect(await codeOf(check.verifyAccessToken('tok-bad'))).toBe('invalid_token');
    expect(provider.requests.introspection - before).toBe(2);
  });

  it('bounds the refusals it remembers: the least recently refused token makes room', async () => {
    const check = verifier({ limits: { maxRefusals: 2 } });
    for (const token of ['a', 'b', 'a', 'c']) await codeOf(check.verifyAccessToken(token)); // c evicts b
    expect(check.size).toBe(2);
    const before = provider.requests.introspection;
    await codeOf(check.verifyAccessToken('a'));
    expect(provider.requests.introspection).toBe(before);
    await codeOf(check.verifyAccessToken('b'));
    expect(provider.requests.introspection).toBe(before + 1);
  });

  it('asks once for concurrent checks of the same new token', async () => {
    issue('tok-burst');
    const check = verifier();
    const before = provider.requests.introspection;
    const infos = await Promise.all(Array.from({ length: 10 }, () => check.verifyAccessToken('tok-burst')));
    expect(infos.every((info) => info.clientId === 'inspector')).toBe(true);
    expect(provider.requests.introspection - before).toBe(1);
  });
});

describe('revocation and sprays, with the verified-token cache in front (as the server wires it)', () => {
  /** The production stack: `cacheVerifiedTokens` (positives, capped) in front of the introspection verifier. */
  const stack = (maxAgeMs?: number) => cacheVerifiedTokens(verifier(), { now: () => clock, ...(maxAgeMs === undefined ? {} : { maxAgeMs }) });

  it('refuses a revoked opaque token once the cache cap has passed, long before the token expires', async () => {
    issue('tok-revoked', { exp: seconds() + 3600 });
    const check = stack();
    await check.verifyAccessToken('tok-revoked');
    provider.opaque.delete('tok-revoked'); // revoked at the provider
    clock += 30_000;
    expect(await codeOf(check.verifyAccessToken('tok-revoked'))).toBeUndefined(); // within the cap: still cached
    clock += 31_000;
    const got = await codeOf(check.verifyAccessToken('tok-revoked'));
    table.add({ name: 'revoked opaque token after the cap (default 60 s, 61 s later, token valid for 1 h; cache and verifier)', expected: 'invalid_token', got: got ?? 'accepted' });
    expect(got).toBe('invalid_token');
  });

  it('a spray of 5,000 distinct garbage tokens does not evict a cached valid token and costs bounded introspection calls', async () => {
    issue('tok-valid');
    const check = stack();
    await check.verifyAccessToken('tok-valid');
    const before = provider.requests.introspection;
    const garbage = Array.from({ length: 5000 }, (_, i) => `garbage-${i}`);
    const codes = await Promise.all(garbage.map((token) => codeOf(check.verifyAccessToken(token))));
    const calls = provider.requests.introspection - before;
    const bound = DEFAULT_INTROSPECTION_LIMITS.maxConcurrentCalls + DEFAULT_INTROSPECTION_LIMITS.maxQueuedCalls;
    const valid = await codeOf(check.verifyAccessToken('tok-valid'));
    table.add({
      name: 'garbage spray vs a valid opaque token (5,000 distinct tokens at once, cache and verifier)',
      expected: `valid accepted, <= ${bound} introspection calls`,
      got: `valid ${valid ?? 'accepted'}, ${calls} introspection calls`,
    });
    expect(valid).toBeUndefined();
    expect(provider.requests.introspection - before).toBe(calls); // the valid token was answered from the cache
    expect(calls).toBeLessThanOrEqual(bound);
    expect(codes.filter((code) => code === 'invalid_token')).toHaveLength(calls);
    expect(codes.filter((code) => code === 'temporarily_unavailable')).toHaveLength(5000 - calls);
    // Replaying the refused ones costs nothing: they are remembered apart from the valid tokens.
    await Promise.all(garbage.filter((_, i) => codes[i] === 'invalid_token').map((token) => codeOf(check.verifyAccessToken(token))));
    expect(provider.requests.introspection - before).toBe(calls);
  });
});

/**
 * The server-level cases below go through this project's own introspection wiring against the stand-in's RFC 7662
 * endpoint. A Google project checks tokens with tokeninfo instead: provider-tokens.test.ts covers it end to end.
 */
const serverIntrospects = providerDefaults.introspection === 'rfc7662';

describe.runIf(serverIntrospects)('a server with AUTH_TOKEN_FORMAT=opaque', () => {
  it('answers 200 for an active token, 401 for an inactive one, and 503 with Retry-After while introspection is down', async () => {
    const server = await startTestServer({ AUTH_ISSUER: provider.issuer, AUTH_TOKEN_FORMAT: 'opaque', AUTH_INTROSPECTION_TOKEN: 'api-key' });
    const { mcpUrl } = server;
    try {
      issue('tok-http', { aud: mcpUrl, ...tokenRules.requiredClaims });
      const call = (token: string) => post(mcpUrl, initializeBody(), { Authorization: `Bearer ${token}` });
      expect((await call('tok-http')).status).toBe(200);
      expect(provider.requests.authorization.at(-1)).toBe('Bearer api-key');
      const inactive = await call('tok-unknown');
      expect(inactive.status).toBe(401);
      expect(inactive.headers.get('www-authenticate')).toContain('error="invalid_token"');
      provider.failIntrospection = 503;
      const down = await call('tok-other');
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBeTruthy();
    } finally {
      await server.close();
    }
  });
});

/** A real server (this project's framework and wiring) introspecting at the stand-in, found by discovery. */
async function startOpaqueServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({ AUTH_ISSUER: provider.issuer, AUTH_TOKEN_FORMAT: 'opaque', AUTH_INTROSPECTION_TOKEN: 'api-key', ...env });
}

/** What the server answered, as one comparable line: `200`, `401 invalid_token`, `503 temporarily_unavailable Retry-After 5`. */
async function answerOf(response: Response): Promise<string> {
  const text = await response.text();
  if (response.status === 200) return '200';
  const error = (JSON.parse(text) as { error?: string }).error;
  const retryAfter = response.headers.get('retry-after');
  return [String(response.status), error, retryAfter ? `Retry-After ${retryAfter}` : undefined].filter(Boolean).join(' ');
}

const callWith = (server: TestServer, token: string) => post(server.mcpUrl, initializeBody(), { Authorization: `Bearer ${token}` }).then(answerOf);

describe.runIf(serverIntrospects)('a server with AUTH_TOKEN_FORMAT=opaque, under revocation and sprays', () => {
  it.each([
    ['the default cap, 60 s,', {}, 59_000, 2_000],
    ['AUTH_TOKEN_CACHE_SECONDS=10', { AUTH_TOKEN_CACHE_SECONDS: '10' }, 9_000, 2_000],
  ])('refuses a revoked token once %s has passed, though it expires only in an hour', async (cap, env, within, past) => {
    const server = await startOpaqueServer(env);
    try {
      issue('tok-revoked-http', { aud: server.mcpUrl, exp: seconds() + 3600, ...tokenRules.requiredClaims });
      expect(await callWith(server, 'tok-revoked-http')).toBe('200');
      provider.opaque.delete('tok-revoked-http'); // revoked at the provider
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + within);
      expect(await callWith(server, 'tok-revoked-http')).toBe('200'); // the documented delay: still cached
      vi.setSystemTime(Date.now() + past);
      const got = await callWith(server, 'tok-revoked-http');
      table.add({ name: `revoked opaque token after the cap (${cap.replace(/,$/, '')}; through the server, ${(within + past) / 1000} s later)`, expected: '401 invalid_token', got });
      expect(got).toBe('401 invalid_token');
    } finally {
      await server.close();
    }
  });

  it('answers 503 to new tokens beyond the bound on introspection calls, while a cached valid token keeps getting 200', async () => {
    const server = await startOpaqueServer();
    let release = () => {};
    try {
      issue('tok-valid-http', { aud: server.mcpUrl, ...tokenRules.requiredClaims });
      issue('tok-new-valid-http', { aud: server.mcpUrl, ...tokenRules.requiredClaims });
      expect(await callWith(server, 'tok-valid-http')).toBe('200');
      provider.holdIntrospection = new Promise<void>((resolve) => (release = resolve)); // a slow provider
      const { maxConcurrentCalls, maxQueuedCalls } = DEFAULT_INTROSPECTION_LIMITS;
      const bound = maxConcurrentCalls + maxQueuedCalls;
      const beyond = 20;
      const before = provider.requests.introspection;
      let settled = 0;
      const spray = Array.from({ length: bound + beyond }, (_, i) => callWith(server, `spray-${i}`).finally(() => settled++));
      // Those beyond the bound are answered at once, while the others still wait for the provider.
      await vi.waitFor(() => expect(settled).toBe(beyond), { timeout: 5000 });
      const cachedValid = await callWith(server, 'tok-valid-http');
      const newValid = await callWith(server, 'tok-new-valid-http');
      const inFlight = provider.requests.introspection - before;
      release();
      const answers = await Promise.all(spray);
      const count = (answer: string) => answers.filter((a) => a === answer).length;
      const refusedBusy = count('503 temporarily_unavailable Retry-After 5');
      table.add({
        name: `concurrent spray of ${bound + beyond} new tokens vs a cached valid opaque token`,
        expected: `${beyond} x 503 + Retry-After, ${bound} x 401, cached valid 200, <= ${maxConcurrentCalls} calls in flight`,
        got: `${refusedBusy} x 503 + Retry-After, ${count('401 invalid_token')} x 401, cached valid ${cachedValid}, ${inFlight} calls in flight`,
      });
      expect(cachedValid).toBe('200');
      expect(newValid).toBe('503 temporarily_unavailable Retry-After 5'); // a new token waits its turn like any other
      expect(inFlight).toBeLessThanOrEqual(maxConcurrentCalls);
      expect(refusedBusy).toBe(beyond);
      expect(count('401 invalid_token')).toBe(bound);
      expect(provider.requests.introspection - before).toBe(bound);
    } finally {
      release();
      await server.close();
    }
  });
});

describe('an introspection endpoint or JWKS over plain http', () => {
  const opaqueEnv = (endpoint: string) => ({ AUTH_ISSUER: 'https://auth.example.com', AUTH_TOKEN_FORMAT: 'opaque', AUTH_INTROSPECTION_ENDPOINT: endpoint });
  /** `accepted`, or the configuration problem as the server prints it at start. */
  function startupVerdict(endpoint: string): string {
    try {
      loadConfig(opaqueEnv(endpoint));
      return 'accepted';
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return `config error: ${error.message.split('\n').slice(1).join(' ').replace(/^\s*-\s*/, '')}`;
    }
  }
  /** An introspection verifier whose endpoint comes from (stubbed) provider metadata, recording what it sends. */
  function verifierWithMetadataEndpoint(introspectionEndpoint: string, sent: string[]) {
    return createIntrospectionVerifier({
      issuer: provider.issuer,
      audience: AUDIENCE,
      rules,
      style: 'rfc7662',
      credentials: { clientId: 'resource server', clientSecret: 'secret' },
      server: { get: async () => ({ issuer: provider.issuer, metadata: { issuer: provider.issuer, introspection_endpoint: introspectionEndpoint } as never, metadataUrl: provider.issuer }) },
      fetch: (input, init) => {
        sent.push(String(input));
        return fetch(input, init);
      },
      now: () => clock,
    });
  }

  it('is refused at start when AUTH_INTROSPECTION_ENDPOINT is http on a public host; https and loopback http are accepted', () => {
    const got = startupVerdict('http://auth.example.com/introspect');
    // The row keeps the verdict up to the explanation in parentheses; the assertion below checks the whole message.
    table.add({ name: 'http introspection URL (env AUTH_INTROSPECTION_ENDPOINT, public host)', expected: 'config error: AUTH_INTROSPECTION_ENDPOINT must use https', got: got.split(' (')[0]! });
    expect(got).toMatch(/^config error: AUTH_INTROSPECTION_ENDPOINT must use https \(http is only for localhost\): it receives/);
    expect(startupVerdict('https://auth.example.com/introspect')).toBe('accepted');
    const loopback = startupVerdict('http://127.0.0.1:8080/introspect');
    table.add({ name: 'http introspection URL (env AUTH_INTROSPECTION_ENDPOINT, loopback)', expected: 'accepted', got: loopback });
    expect(loopback).toBe('accepted');
    expect(startupVerdict('http://localhost:8080/introspect')).toBe('accepted');
    expect(startupVerdict('not a url')).toMatch(/must be an absolute URL/);
    expect(loadConfig(opaqueEnv('https://auth.example.com/oauth/introspect')).introspection.endpoint).toBe('https://auth.example.com/oauth/introspect');
  });

  it('is refused when the provider metadata names it (DiscoveryError misconfigured), before any secret is sent', async () => {
    const sent: string[] = [];
    const error = await verifierWithMetadataEndpoint('http://idp.example.test/introspect', sent)
      .verifyAccessToken('tok-any')
      .catch((caught: unknown) => caught);
    const got = error instanceof DiscoveryError ? `DiscoveryError ${error.kind}, ${sent.length} requests sent` : `${String(error)}, ${sent.length} requests sent`;
    table.add({ name: 'http introspection URL (provider metadata, public host)', expected: 'DiscoveryError misconfigured, 0 requests sent', got });
    expect(got).toBe('DiscoveryError misconfigured, 0 requests sent');
    expect((error as Error).message).toMatch(/plain http/);
    // Loopback http is fine (a provider on this machine), and so is https.
    issue('tok-loopback');
    const loopback = (await codeOf(verifierWithMetadataEndpoint(`${provider.issuer}/introspect`, sent).verifyAccessToken('tok-loopback'))) ?? 'accepted';
    table.add({ name: 'http introspection URL (provider metadata, loopback)', expected: 'accepted', got: loopback });
    expect(loopback).toBe('accepted');
    expect(sent).toEqual([`${provider.issuer}/introspect`]);
  });

  it.runIf(serverIntrospects)('answers 503 and logs why when the metadata names a plain-http introspection endpoint', async () => {
    const server = await startOpaqueServer();
    try {
      provider.metadataOverrides = { introspection_endpoint: 'http://idp.example.test/introspect' };
      issue('tok-http-endpoint', { aud: server.mcpUrl, ...tokenRules.requiredClaims });
      const got = await callWith(server, 'tok-http-endpoint');
      table.add({ name: 'http introspection URL (provider metadata, public host), through the server', expected: '503 temporarily_unavailable Retry-After 5', got });
      expect(got).toBe('503 temporarily_unavailable Retry-After 5');
      expect(server.logs.join('\n')).toMatch(/DiscoveryError: .*introspection_endpoint .*plain http/);
    } finally {
      await server.close();
    }
  });

  it('refuses a plain-http jwks_uri on a public host (keys could be substituted) and accepts loopback http', async () => {
    const verdict = (url: string) => {
      try {
        createKeySet(new URL(url));
        return 'accepted';
      } catch (error) {
        return error instanceof DiscoveryError ? `DiscoveryError ${error.kind}` : String(error);
      }
    };
    const got = verdict('http://idp.example.test/jwks');
    table.add({ name: 'http jwks_uri (provider metadata, public host)', expected: 'DiscoveryError misconfigured', got });
    expect(got).toBe('DiscoveryError misconfigured');
    expect(verdict('http://127.0.0.1:4000/jwks')).toBe('accepted');
    expect(verdict('https://idp.example.test/jwks')).toBe('accepted');

    const server = await startTestServer({ AUTH_ISSUER: provider.issuer, AUTH_TOKEN_FORMAT: 'jwt' });
    const { mcpUrl } = server;
    try {
      provider.metadataOverrides = { jwks_uri: 'http://idp.example.test/jwks' };
      const token = await provider.sign({ iss: provider.issuer, aud: mcpUrl, sub: 'alice', scope: 'read write', exp: seconds() + 300, ...tokenRules.requiredClaims }, tokenRules.requiredTyp ? { typ: tokenRules.requiredTyp } : {});
      expect(await callWith(server, token)).toBe('503 temporarily_unavailable Retry-After 5');
      expect(server.logs.join('\n')).toMatch(/DiscoveryError: .*jwks_uri .*plain http/);
    } finally {
      await server.close();
    }
  });
});
