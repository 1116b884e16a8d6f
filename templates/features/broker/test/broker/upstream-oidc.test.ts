import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError, type Upstream } from '../../src/broker/contracts.js';
import { createUpstream } from '../../src/broker/upstream/index.js';
import { followToCallback, startOidcStandIn, type OidcStandIn } from '../helpers/upstream-stand-ins.js';

const CALLBACK = 'http://127.0.0.1:9/oauth/callback';
const CLIENT = { clientId: 'broker-app', clientSecret: 'app-secret-value-0123456789' };
const realNow = (): number => Math.floor(Date.now() / 1000);

function pkce(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url') };
}

async function refusal(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

let standIn: OidcStandIn;
const upstreamFor = (issuer = standIn.issuer, now = realNow, profileUrl?: string): Upstream =>
  createUpstream(
    { kind: 'oidc', issuer, ...CLIENT, scopes: ['openid', 'profile', 'email'], ...(profileUrl ? { profileUrl } : {}) },
    { callbackUrl: CALLBACK, now },
  );

/** One sign-in at the stand-in, up to the callback: what the broker's callback endpoint receives. */
async function signIn(upstream: Upstream, nonce = randomBytes(16).toString('base64url')) {
  const { codeVerifier, codeChallenge } = pkce();
  const state = randomBytes(16).toString('base64url');
  const callback = await followToCallback(await upstream.authorizationUrl({ state, codeChallenge, nonce }), CALLBACK);
  expect(callback.searchParams.get('state')).toBe(state);
  return { code: callback.searchParams.get('code') ?? '', iss: callback.searchParams.get('iss') ?? undefined, codeVerifier, nonce };
}

beforeAll(async () => {
  standIn = await startOidcStandIn({ ...CLIENT, redirectUris: [CALLBACK], autoLogin: 'alice' });
}, 30_000);
afterAll(() => standIn.close());

describe('OIDC upstream against a real OpenID provider', () => {
  it('asks for a code with PKCE S256, state, nonce, the callback and openid', async () => {
    const url = await upstreamFor().authorizationUrl({ state: 'st', codeChallenge: 'c'.repeat(43), nonce: 'nn' });
    expect(url.origin + url.pathname).toBe(`${standIn.issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code', client_id: CLIENT.clientId, redirect_uri: CALLBACK, scope: 'openid profile email',
      state: 'st', nonce: 'nn', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256',
    });
  });

  it("adds the preset's authorization parameters (Google's offline access) but never lets them replace a protocol one", async () => {
    const upstream = createUpstream(
      { kind: 'oidc', issuer: standIn.issuer, ...CLIENT, scopes: ['openid'], authorizationParams: { access_type: 'offline', prompt: 'consent', state: 'forged', client_id: 'other', redirect_uri: 'https://evil.example/cb' } },
      { callbackUrl: CALLBACK, now: realNow },
    );
    const url = await upstream.authorizationUrl({ state: 'st', codeChallenge: 'c'.repeat(43), nonce: 'nn' });
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.getAll('state')).toEqual(['st']);
    expect(url.searchParams.getAll('client_id')).toEqual([CLIENT.clientId]);
    expect(url.searchParams.getAll('redirect_uri')).toEqual([CALLBACK]);
  });

  it('exchanges the code and names the user from the verified ID token', async () => {
    const upstream = upstreamFor();
    const { code, iss, codeVerifier, nonce } = await signIn(upstream);
    expect(iss).toBe(standIn.issuer);
    const before = realNow();
    const { identity, tokens } = await upstream.exchangeCode({ code, codeVerifier, nonce, ...(iss ? { iss } : {}) });
    expect(identity).toEqual({ subject: 'alice', name: 'Alice Example', email: 'alice@example.com' });
    expect(tokens.accessToken).toMatch(/.{20,}/);
    expect(tokens.refreshToken).toMatch(/.{20,}/);
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 3600);
    expect(tokens.expiresAt).toBeLessThanOrEqual(realNow() + 3600);
    // The profile URL is the discovered userinfo endpoint, and the provider's token reads it.
    expect(upstream.profileUrl).toBe(`${standIn.issuer}/userinfo`);
    const profile = await fetch(upstream.profileUrl ?? '', { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(await profile.json()).toMatchObject({ sub: 'alice' });
  });

  it('uses the configured profile URL (Graph-like /me) over userinfo', async () => {
    const upstream = upstreamFor(standIn.issuer, realNow, `${standIn.issuer}/me`);
    const { code, iss, codeVerifier, nonce } = await signIn(upstream);
    const { tokens } = await upstream.exchangeCode({ code, codeVerifier, nonce, ...(iss ? { iss } : {}) });
    expect(upstream.profileUrl).toBe(`${standIn.issuer}/me`);
    const me = await fetch(`${standIn.issuer}/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(await me.json()).toMatchObject({ id: 'alice', mail: 'alice@example.com' });
  });

  it('refreshes, keeps the rotated refresh token, and passes on the refusal of a used one', async () => {
    const upstream = upstreamFor();
    const { code, iss, codeVerifier, nonce } = await signIn(upstream);
    const { tokens } = await upstream.exchangeCode({ code, codeVerifier, nonce, ...(iss ? { iss } : {}) });
    const fresh = await upstream.refresh(tokens.refreshToken ?? '');
    expect(fresh.accessToken).not.toBe(tokens.accessToken);
    expect(fresh.refreshToken).toMatch(/.{20,}/);
    expect(fresh.refreshToken).not.toBe(tokens.refreshToken);
    const error = await refusal(upstream.refresh(tokens.refreshToken ?? ''));
    expect([error.kind, error.oauthError]).toEqual(['refused', 'invalid_grant']);
  });

  it('refuses an ID token issued for another sign-in (nonce)', async () => {
    const upstream = upstreamFor();
    const { code, iss, codeVerifier } = await signIn(upstream, 'the-nonce-of-this-sign-in');
    const error = await refusal(upstream.exchangeCode({ code, codeVerifier, nonce: 'another-nonce', ...(iss ? { iss } : {}) }));
    expect(error.kind).toBe('invalid');
    expect(error.message).toMatch(/nonce/);
  });

  it("passes on the provider's refusal of a code with its error code, without echoing the code", async () => {
    const upstream = upstreamFor();
    const { code, iss, nonce } = await signIn(upstream);
    const error = await refusal(upstream.exchangeCode({ code, codeVerifier: pkce().codeVerifier, nonce, ...(iss ? { iss } : {}) }));
    expect([error.kind, error.oauthError]).toEqual(['refused', 'invalid_grant']);
    expect(error.message).not.toContain(code);
    expect(error.message).not.toContain(CLIENT.clientSecret);
  });

  it('refuses an authorization response from another issuer before sending the code anywhere (RFC 9207)', async () => {
    const upstream = upstreamFor();
    const { code, codeVerifier, nonce } = await signIn(upstream);
    const tokenRequests = standIn.requests['/token'] ?? 0;
    const error = await refusal(upstream.exchangeCode({ code, codeVerifier, nonce, iss: 'https://attacker.example' }));
    expect(error.kind).toBe('invalid');
    expect(standIn.requests['/token'] ?? 0).toBe(tokenRequests);
    // This provider always sends iss: a response without it is refused too.
    const missing = await refusal(upstream.exchangeCode({ code, codeVerifier, nonce }));
    expect(missing.kind).toBe('invalid');
    expect(standIn.requests['/token'] ?? 0).toBe(tokenRequests);
  });

  it('refuses discovery naming another issuer, even by a trailing slash or another host name', async () => {
    for (const configured of [`${standIn.issuer}/`, standIn.issuer.replace('127.0.0.1', 'localhost')]) {
      const error = await refusal(upstreamFor(configured).check());
      expect(error.kind).toBe('invalid');
      expect(error.message).toMatch(/issuer/);
    }
  });

  it('refuses an issuer over plain http to another host when created', () => {
    expect(() => upstreamFor('http://idp.example.com')).toThrow(TypeError);
  });

  it('is unavailable while the provider is down, without a request per caller, and recovers after the cooldown', async () => {
    let now = 1_000_000;
    const upstream = upstreamFor(standIn.issuer, () => now);
    const discovery = '/.well-known/openid-configuration';
    const before = standIn.requests[discovery] ?? 0;
    standIn.setDown(true);
    try {
      expect((await refusal(upstream.check())).kind).toBe('unavailable');
      expect((await refusal(upstream.authorizationUrl({ state: 's', codeChallenge: 'c'.repeat(43), nonce: 'n' }))).kind).toBe('unavailable');
      expect(standIn.requests[discovery]).toBe(before + 1);
    } finally {
      standIn.setDown(false);
    }
    expect((await refusal(upstream.check())).kind).toBe('unavailable'); // still cooling down
    now += 11;
    await upstream.check();
    expect(standIn.requests[discovery]).toBe(before + 2);
  });

  it('collapses concurrent discovery into one request and keeps a stale document while the provider is down', async () => {
    let now = 2_000_000;
    const upstream = upstreamFor(standIn.issuer, () => now);
    const discovery = '/.well-known/openid-configuration';
    const before = standIn.requests[discovery] ?? 0;
    await Promise.all(Array.from({ length: 5 }, () => upstream.check()));
    expect(standIn.requests[discovery]).toBe(before + 1);
    now += 3601; // the document is now stale
    standIn.setDown(true);
    try {
      const url = await upstream.authorizationUrl({ state: 's', codeChallenge: 'c'.repeat(43), nonce: 'n' });
      expect(url.origin).toBe(standIn.issuer);
      expect(standIn.requests[discovery]).toBe(before + 2);
    } finally {
      standIn.setDown(false);
    }
  });

  it('is unavailable when the token endpoint is down after discovery', async () => {
    const upstream = upstreamFor();
    const { code, iss, codeVerifier, nonce } = await signIn(upstream);
    standIn.setDown(true);
    try {
      const error = await refusal(upstream.exchangeCode({ code, codeVerifier, nonce, ...(iss ? { iss } : {}) }));
      expect(error.kind).toBe('unavailable');
    } finally {
      standIn.setDown(false);
    }
  });
});
