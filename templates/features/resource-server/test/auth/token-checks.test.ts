import { request as httpRequest } from 'node:http';
import { generateKeyPair, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenRules } from '../../src/auth/index.js';
import { advertisedScopes } from '../../src/mcp/server.js';
import { initializeBody, post } from '../helpers/mcp-client.js';
import { startServerWithTestIssuer, type TestServer } from '../helpers/mcp-server.js';
import type { TestIssuer } from '../helpers/test-issuer.js';

/** Every way a bearer token can be wrong, against the real server over HTTP. */
let issuer: TestIssuer;
let server: TestServer;

let close: () => Promise<void>;

beforeAll(async () => {
  ({ issuer, server, close } = await startServerWithTestIssuer());
});
afterAll(() => close?.());

const now = () => Math.floor(Date.now() / 1000);
const withToken = (token: string) => post(server.mcpUrl, initializeBody(), { Authorization: `Bearer ${token}` });
const challengeOf = (response: Response) => response.headers.get('www-authenticate') ?? '';

function expectInvalidToken(response: Response) {
  expect(response.status).toBe(401);
  expect(challengeOf(response)).toMatch(/^Bearer /);
  expect(challengeOf(response)).toContain('error="invalid_token"');
  expect(challengeOf(response)).toContain(`resource_metadata="${server.mcpAuth.resourceMetadataUrl}"`);
}

describe('a request without a usable token', () => {
  it('gets 401 with the metadata URL and every scope, and no error code when no token was sent', async () => {
    const response = await post(server.mcpUrl, initializeBody());
    expect(response.status).toBe(401);
    expect(challengeOf(response)).toBe(
      `Bearer scope="${advertisedScopes.join(' ')}", resource_metadata="${new URL('/.well-known/oauth-protected-resource/mcp', server.mcpUrl).href}"`,
    );
    expect(await response.json()).not.toHaveProperty('error');
  });

  it('treats another scheme (Basic) as no bearer credentials', async () => {
    const response = await post(server.mcpUrl, initializeBody(), { Authorization: 'Basic dXNlcjpwYXNz' });
    expect(response.status).toBe(401);
    expect(challengeOf(response)).not.toContain('error=');
  });

  it('never reads a token from the query string', async () => {
    const token = await issuer.mint();
    const response = await post(`${server.mcpUrl}?access_token=${token}`, initializeBody());
    expect(response.status).toBe(401);
    expect(challengeOf(response)).not.toContain('error=');
  });

  it.each([['Bearer '], ['Bearer'], ['Bearer  two-spaces'], ['Bearer a b'], ['Bearer tok"en']])('answers 400 invalid_request to %j', async (header) => {
    const response = await post(server.mcpUrl, initializeBody(), { Authorization: header });
    expect(response.status).toBe(400);
    expect(challengeOf(response)).toContain('error="invalid_request"');
  });

  it('refuses two Authorization headers', async () => {
    const token = await issuer.mint();
    const status = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify(initializeBody());
      const req = httpRequest(server.mcpUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Authorization: [`Bearer ${token}`, `Bearer ${token}`] },
      });
      req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject).end(body);
    });
    expect(status).toBe(400);
  });
});

describe('a token', () => {
  it('that is valid is accepted', async () => {
    const response = await withToken(await issuer.mint());
    expect(response.status).toBe(200);
  });

  it.each([
    ['expired', { exp: now() - 120 }],
    ['not yet valid', { nbf: now() + 600 }],
    ['without exp', { exp: undefined }],
    ['from another issuer', { iss: 'https://evil.example' }],
    ['for another audience', { aud: 'https://other.example/mcp' }],
    ['without an audience', { aud: undefined }],
    ['for several audiences, none of them ours', { aud: ['https://a.example', 'https://b.example'] }],
  ])('%s is refused with invalid_token', async (_case, claims) => {
    expectInvalidToken(await withToken(await issuer.mint(claims)));
  });

  it('with alg "none" is refused', async () => {
    const [, payload] = (await issuer.mint()).split('.');
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'test-key-1' }));
    expectInvalidToken(await withToken(`${header}.${payload}.`));
  });

  it('signed with HS256 using the public key as the secret is refused', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(issuer.publicJwk));
    expectInvalidToken(await withToken(await issuer.mint({}, { header: { alg: 'HS256' }, key: secret as never })));
  });

  it('signed by a foreign key under the trusted kid is refused', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    expectInvalidToken(await withToken(await issuer.mint({}, { key: privateKey })));
  });

  it('with an unknown kid is refused', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    expectInvalidToken(await withToken(await issuer.mint({}, { key: privateKey, header: { kid: 'unknown-kid' } })));
  });

  it('with a tampered payload is refused', async () => {
    const [header, , signature] = (await issuer.mint()).split('.');
    const forged = base64url.encode(JSON.stringify({ iss: issuer.issuer, aud: server.mcpUrl, sub: 'admin', scope: 'read write', exp: now() + 300 }));
    expectInvalidToken(await withToken(`${header}.${forged}.${signature}`));
  });

  it.runIf(tokenRules.requiredTyp)('that is an ID token (typ JWT) is refused', async () => {
    expectInvalidToken(await withToken(await issuer.mint({}, { header: { typ: 'JWT' } })));
  });

  it('that is not a JWT at all is refused', async () => {
    expectInvalidToken(await withToken('not-a-jwt'));
  });

  it('never appears in an error answer', async () => {
    const token = await issuer.mint({ exp: now() - 120 });
    const response = await withToken(token);
    const text = `${challengeOf(response)} ${await response.text()}`;
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/at .+\(.+:\d+:\d+\)/); // no stack frames
  });
});
