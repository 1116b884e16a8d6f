import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, createIntrospectionVerifier, tokenRules, type IntrospectionVerifier } from '../../src/auth/index.js';
import { initializeBody, post } from '../helpers/mcp-client.js';
import { freePort, startTestServer } from '../helpers/mcp-server.js';
import { startProviderStandIn, type ProviderStandIn } from './provider-stand-in.js';

/**
 * RFC 7662 introspection for opaque tokens (AUTH_TOKEN_FORMAT=opaque), against a local introspection endpoint:
 * active, inactive, expired, wrong audience, endpoint down (503), and the cache (until exp, bounded, LRU).
 */
const AUDIENCE = 'https://mcp.example.test/mcp';
let provider: ProviderStandIn;
let clock = Date.now();

beforeAll(async () => {
  provider = await startProviderStandIn('RS256');
});
afterAll(() => provider?.close());
beforeEach(() => {
  provider.opaque.clear();
  provider.failIntrospection = undefined;
  clock = Date.now();
});

const seconds = () => Math.floor(clock / 1000);
/** Plain RFC 7662 rules: what introspection itself guarantees, whatever this project's provider adds. */
const rules = { scopeClaims: ['scope'], clientIdClaims: ['client_id'], algorithms: tokenRules.algorithms };

function verifier(options: { maxEntries?: number } = {}): IntrospectionVerifier {
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

describe('the introspection cache', () => {
  it('serves an active token from the cache until its exp, then asks again', async () => {
    issue('tok-cached', { exp: seconds() + 60 });
    const check = verifier();
    const before = provider.requests.introspection;
    for (let i = 0; i < 5; i++) await check.verifyAccessToken('tok-cached');
    expect(provider.requests.introspection - before).toBe(1);
    clock += 61_000;
    expect(await codeOf(check.verifyAccessToken('tok-cached'))).toBe('invalid_token'); // re-introspected: expired now
    expect(provider.requests.introspection - before).toBe(2);
  });

  it('remembers a refusal briefly, so a replayed bad token costs one call', async () => {
    const check = verifier();
    const before = provider.requests.introspection;
    for (let i = 0; i < 3; i++) expect(await codeOf(check.verifyAccessToken('tok-bad'))).toBe('invalid_token');
    expect(provider.requests.introspection - before).toBe(1);
  });

  it('is bounded: the least recently used token makes room', async () => {
    const check = verifier({ maxEntries: 2 });
    for (const token of ['a', 'b', 'c']) issue(token);
    await check.verifyAccessToken('a');
    await check.verifyAccessToken('b');
    await check.verifyAccessToken('a'); // a is now the most recently used
    await check.verifyAccessToken('c'); // evicts b
    expect(check.size).toBe(2);
    const before = provider.requests.introspection;
    await check.verifyAccessToken('a');
    expect(provider.requests.introspection).toBe(before);
    await check.verifyAccessToken('b');
    expect(provider.requests.introspection).toBe(before + 1);
  });
});

describe('a server with AUTH_TOKEN_FORMAT=opaque', () => {
  it('answers 200 for an active token, 401 for an inactive one, and 503 with Retry-After while introspection is down', async () => {
    const port = await freePort();
    const mcpUrl = `http://127.0.0.1:${port}/mcp`;
    const server = await startTestServer({ PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: provider.issuer, AUTH_TOKEN_FORMAT: 'opaque', AUTH_INTROSPECTION_TOKEN: 'api-key' });
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
