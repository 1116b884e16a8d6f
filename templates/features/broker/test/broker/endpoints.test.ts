/**
 * The broker's HTTP plumbing, request by request (no port, no provider): routing, error answers, body limits,
 * duplicate parameters, signed values, the consent page's escaping and which redirect URIs count as local.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerError, StoreUnavailableError, type Broker, type Upstream } from '../../src/broker/contracts.js';
import { signValue, verifySignedValue } from '../../src/broker/cookies.js';
import { isClaimableLocally } from '../../src/broker/endpoints/authorization-request.js';
import { consentPage } from '../../src/broker/endpoints/consent-page.js';
import { oauthErrorResponse } from '../../src/broker/endpoints/errors.js';
import { readBodyText, single } from '../../src/broker/endpoints/http.js';
import { createBroker, providerAccessOf } from '../../src/broker/index.js';
import { deriveSecrets } from '../../src/broker/secrets.js';

const ORIGIN = 'https://mcp.example';
/** Never reached by these tests: every request here stops before the provider. */
const unusedUpstream: Upstream = {
  authorizationUrl: () => Promise.reject(new Error('not in this test')),
  exchangeCode: () => Promise.reject(new Error('not in this test')),
  refresh: () => Promise.reject(new Error('not in this test')),
  check: () => Promise.resolve(),
  profileUrl: undefined,
};

let broker: Broker;
const logs: string[] = [];
beforeAll(async () => {
  broker = await createBroker({
    resource: new URL(`${ORIGIN}/mcp`),
    scopes: ['read'],
    config: { secret: randomBytes(32).toString('base64url'), upstream: { kind: 'oidc', issuer: 'https://idp.example', clientId: 'x', clientSecret: 'y', scopes: ['openid'] }, accessTokenSeconds: 300, refreshTokenSeconds: 3600 },
    log: (message) => logs.push(message),
    upstream: unusedUpstream,
  });
});
afterAll(() => broker?.close());

const form = (path: string, body: string, headers: Record<string, string> = {}) =>
  broker.handle(new Request(`${ORIGIN}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body }));

describe('broker routing', () => {
  it('answers only its own paths, 405 with Allow for a wrong method', async () => {
    expect(await broker.handle(new Request(`${ORIGIN}/mcp`))).toBeUndefined();
    expect(await broker.handle(new Request(`${ORIGIN}/oauth/other`))).toBeUndefined();
    const wrong = await broker.handle(new Request(`${ORIGIN}/oauth/token`));
    expect(wrong?.status).toBe(405);
    expect(wrong?.headers.get('allow')).toBe('POST, OPTIONS');
    expect((await broker.handle(new Request(`${ORIGIN}/oauth/register`)))?.headers.get('allow')).toBe('POST, OPTIONS');
    expect((await broker.handle(new Request(`${ORIGIN}/oauth/authorize`, { method: 'POST' })))?.headers.get('allow')).toBe('GET');
  });

  it('derives the issuer and callback from MCP_SERVER_URL', () => {
    expect(broker.issuer).toBe(ORIGIN);
    expect(broker.callbackUrl).toBe(`${ORIGIN}/oauth/callback`);
  });
});

describe('broker token endpoint requests', () => {
  it('refuses a body that is not a form, and a parameter sent twice', async () => {
    const json = await broker.handle(new Request(`${ORIGIN}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    expect([json?.status, ((await json?.json()) as { error: string }).error]).toEqual([400, 'invalid_request']);
    expect(() => single(new URLSearchParams('code=a&code=b'), 'code')).toThrow(BrokerError);
  });

  it('answers an unsupported grant type and a missing client in RFC 6749 JSON, never cached', async () => {
    const noClient = await form('/oauth/token', 'grant_type=password&username=a&password=b');
    expect(noClient?.status).toBe(401);
    expect(noClient?.headers.get('cache-control')).toBe('no-store');
    expect(((await noClient?.json()) as { error: string }).error).toBe('invalid_client');
    const basic = await form('/oauth/token', 'grant_type=client_credentials', { authorization: `Basic ${btoa('nobody:secret')}` });
    expect(basic?.headers.get('www-authenticate')).toBe('Basic realm="oauth"');
  });

  it('stops reading a body at 64 KiB even when it declares less', async () => {
    const big = new Request(`${ORIGIN}/oauth/token`, { method: 'POST', body: 'x'.repeat(64 * 1024 + 1), headers: { 'content-length': '10' } });
    await expect(readBodyText(big)).rejects.toThrow(/larger than/);
    await expect(readBodyText(new Request(`${ORIGIN}/`, { method: 'POST', body: 'x'.repeat(64 * 1024) }))).resolves.toHaveLength(64 * 1024);
  });
});

describe('broker error answers', () => {
  it('maps each failure to one status, with Retry-After on 503 and no details on 500', async () => {
    const log = () => undefined;
    expect(oauthErrorResponse(new BrokerError('invalid_grant', 'no'), { log }).status).toBe(400);
    const unavailable = oauthErrorResponse(new BrokerError('temporarily_unavailable', 'later'), { log });
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '5']);
    const store = oauthErrorResponse(new StoreUnavailableError('redis down at 10.0.0.3'), { log });
    expect([store.status, store.headers.get('retry-after')]).toEqual([503, '5']);
    expect(await store.text()).not.toContain('10.0.0.3');
    const bug = oauthErrorResponse(new TypeError('secret detail'), { log });
    expect(bug.status).toBe(500);
    expect(await bug.text()).not.toContain('secret detail');
  });
});

describe('broker signed values and pages', () => {
  it('accepts a signed value only unchanged and for its own purpose', async () => {
    const secrets = await deriveSecrets(randomBytes(32).toString('base64url'));
    const signed = await signValue(secrets, 'consent', '1700000000');
    expect(await verifySignedValue(secrets, 'consent', signed)).toBe('1700000000');
    expect(await verifySignedValue(secrets, 'consent', signed.replace('17', '27'))).toBeUndefined();
    expect(await verifySignedValue(secrets, 'other', signed)).toBeUndefined();
    expect(await verifySignedValue(await deriveSecrets(randomBytes(32).toString('base64url')), 'consent', signed)).toBeUndefined();
  });

  it('escapes every value on the consent page and makes it unframeable', async () => {
    const page = consentPage({
      client: { clientId: 'id"><script>', clientName: 'n<b>', redirectUris: [], kind: 'registered', tokenEndpointAuthMethod: 'none' },
      redirectUri: 'https://x.example/cb?a="><img src=x>',
      scopes: ['<s>'],
      localOnly: false,
      request: '"><form>',
      csrf: "'",
      setCookies: [],
    });
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<img|<b>|<s>|"><form>/);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    // form-action would block the 302 to the provider after Approve in Chromium: deliberately absent.
    expect(page.headers.get('content-security-policy')).not.toMatch(/form-action/);
  });

  it('counts loopback and private-use scheme redirect URIs as claimable by any local program', () => {
    expect(['http://127.0.0.1:8976/cb', 'http://localhost/cb', 'http://[::1]:9/cb', 'com.example.app:/cb', 'https://a.localhost/cb'].every(isClaimableLocally)).toBe(true);
    expect(isClaimableLocally('https://app.example/cb')).toBe(false);
  });

  it('finds no provider access on an AuthInfo that is not a broker token', () => {
    expect(providerAccessOf({ token: 't', clientId: 'c', scopes: [], extra: { provider: 'nope' } })).toBeUndefined();
    expect(providerAccessOf({ token: 't', clientId: 'c', scopes: [] })).toBeUndefined();
  });
});
