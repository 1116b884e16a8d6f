import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError, type Upstream } from '../../src/broker/contracts.js';
import { createUpstream } from '../../src/broker/upstream/index.js';
import { startFakeOidcProvider, type FakeOidcProvider } from '../helpers/fake-oidc-provider.js';

// ID tokens a real provider never issues, minted with jose and served by a fake token endpoint: each must be refused.
const NOW = 1_900_000_000;
const NONCE = 'nonce-of-this-sign-in';
const SECRET = 'app secret:with/odd+chars';
const VERIFIER = 'v'.repeat(43);

let fake: FakeOidcProvider;
let upstream: Upstream;
const exchange = () => upstream.exchangeCode({ code: 'the-code', codeVerifier: VERIFIER, nonce: NONCE });

async function refusal(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

beforeAll(async () => {
  fake = await startFakeOidcProvider({ clientId: 'broker-app', nonce: NONCE, nowSeconds: NOW });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.respond = async () => ({ body: fake.tokenBody(await fake.mintIdToken()) });
  fake.tokenRequests.length = 0;
  upstream = createUpstream(
    { kind: 'oidc', issuer: fake.issuer, clientId: 'broker-app', clientSecret: SECRET, scopes: ['profile'] },
    { callbackUrl: 'https://mcp.example/oauth/callback', now: () => NOW },
  );
});

describe('OIDC upstream: the ID token', () => {
  it('accepts a well-formed one and authenticates with client_secret_basic (form-encoded credentials)', async () => {
    const { identity, tokens } = await exchange();
    expect(identity).toEqual({ subject: 'user-1' });
    expect(tokens).toEqual({ accessToken: 'fake-access', expiresAt: NOW + 600 });
    const [request] = fake.tokenRequests;
    expect(request?.authorization).toBe(`Basic ${btoa('broker-app:app+secret%3Awith%2Fodd%2Bchars')}`);
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      grant_type: 'authorization_code', code: 'the-code', redirect_uri: 'https://mcp.example/oauth/callback', code_verifier: VERIFIER,
    });
  });

  it('accepts an issuer written with a trailing slash (Auth0) when metadata and tokens write it the same way', async () => {
    const issuer = `${fake.issuer}/`;
    fake.metadata.issuer = issuer;
    try {
      fake.respond = async () => ({ body: fake.tokenBody(await fake.mintIdToken({ iss: issuer })) });
      const slashed = createUpstream(
        { kind: 'oidc', issuer, clientId: 'broker-app', clientSecret: SECRET, scopes: [] },
        { callbackUrl: 'https://mcp.example/oauth/callback', now: () => NOW },
      );
      const { identity } = await slashed.exchangeCode({ code: 'c', codeVerifier: VERIFIER, nonce: NONCE, iss: issuer });
      expect(identity.subject).toBe('user-1');
      // …and the same token is refused by an upstream configured without the slash.
      expect((await refusal(exchange())).kind).toBe('invalid');
    } finally {
      fake.metadata.issuer = fake.issuer;
    }
  });

  it('sends the secret in the body when the provider supports only client_secret_post', async () => {
    fake.metadata.token_endpoint_auth_methods_supported = ['client_secret_post'];
    try {
      await exchange();
      const [request] = fake.tokenRequests;
      expect(request?.authorization).toBeUndefined();
      expect(request?.form.get('client_secret')).toBe(SECRET);
    } finally {
      fake.metadata.token_endpoint_auth_methods_supported = ['client_secret_basic', 'client_secret_post'];
    }
  });

  const forged: Array<[string, () => Promise<string>]> = [
    ['another nonce', () => fake.mintIdToken({ nonce: 'nonce-of-another-sign-in' })],
    ['no nonce', () => fake.mintIdToken({ nonce: undefined })],
    ['another audience', () => fake.mintIdToken({ aud: 'another-app' })],
    ['another issuer', () => fake.mintIdToken({ iss: 'https://attacker.example' })],
    ['an expired one', () => fake.mintIdToken({ iat: NOW - 3600, exp: NOW - 120 })],
    ['no exp', () => fake.mintIdToken({ exp: undefined })],
    ['no sub', () => fake.mintIdToken({ sub: undefined })],
    ['an empty sub', () => fake.mintIdToken({ sub: '' })],
    ['azp naming another party', () => fake.mintIdToken({ azp: 'another-app' })],
    ['several audiences without azp', () => fake.mintIdToken({ aud: ['broker-app', 'another-app'] })],
    ['alg none', () => fake.mintIdToken({}, { unsecured: true })],
    ['another key', async () => fake.mintIdToken({}, { key: (await generateKeyPair('ES256')).privateKey })],
    ['HS256 with the client secret', () => fake.mintIdToken({}, { alg: 'HS256', key: new TextEncoder().encode(SECRET) })],
  ];
  for (const [name, mint] of forged) {
    it(`refuses ${name}`, async () => {
      const idToken = await mint();
      fake.respond = async () => ({ body: fake.tokenBody(idToken) });
      const error = await refusal(exchange());
      expect(error.kind).toBe('invalid');
      expect(error.message).not.toContain(idToken);
    });
  }

  it('refuses a token response without an ID token or without an access token', async () => {
    fake.respond = async () => ({ body: { access_token: 'a', token_type: 'Bearer' } });
    expect((await refusal(exchange())).kind).toBe('invalid');
    fake.respond = async () => ({ body: { token_type: 'Bearer', id_token: await fake.mintIdToken() } });
    expect((await refusal(exchange())).kind).toBe('invalid');
  });

  it('passes on an OAuth error with its code, and treats 5xx as unavailable', async () => {
    fake.respond = async () => ({ status: 400, body: { error: 'invalid_grant', error_description: 'code expired' } });
    const refused = await refusal(exchange());
    expect([refused.kind, refused.oauthError]).toEqual(['refused', 'invalid_grant']);
    fake.respond = async () => ({ status: 502, body: { error: 'bad_gateway' } });
    expect((await refusal(exchange())).kind).toBe('unavailable');
  });

  it('refuses metadata whose endpoints are plain http on another host', async () => {
    fake.metadata.token_endpoint = 'http://idp.example.com/token';
    try {
      expect((await refusal(upstream.check())).kind).toBe('invalid');
    } finally {
      fake.metadata.token_endpoint = `${fake.issuer}/token`;
    }
  });

  it('refuses an ID token signed with an algorithm the provider does not list, even by its own key', async () => {
    fake.metadata.id_token_signing_alg_values_supported = ['RS256'];
    try {
      expect((await refusal(exchange())).kind).toBe('invalid');
    } finally {
      fake.metadata.id_token_signing_alg_values_supported = ['ES256', 'HS256', 'none'];
    }
  });

  it('refuses metadata offering only symmetric or no signatures for ID tokens', async () => {
    fake.metadata.id_token_signing_alg_values_supported = ['HS256', 'none'];
    try {
      expect((await refusal(upstream.check())).kind).toBe('invalid');
    } finally {
      fake.metadata.id_token_signing_alg_values_supported = ['ES256', 'HS256', 'none'];
    }
  });

  it('is unavailable when the provider cannot be reached at all', async () => {
    const gone = createUpstream(
      { kind: 'oidc', issuer: 'http://127.0.0.1:1', clientId: 'x', clientSecret: 'y', scopes: [] },
      { callbackUrl: 'https://mcp.example/oauth/callback', now: () => NOW },
    );
    expect((await refusal(gone.check())).kind).toBe('unavailable');
  });
});
