import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError, type Upstream } from '../../src/broker/contracts.js';
import { createUpstream, identityFromUser } from '../../src/broker/upstream/index.js';
import { followToCallback, startGitHubStandIn, type GitHubStandIn, type GitHubStandInOptions } from '../helpers/upstream-stand-ins.js';

const CALLBACK = 'http://127.0.0.1:9/oauth/callback';
const CLIENT = { clientId: 'Iv1.broker', clientSecret: 'github-app-secret-0123456789' };
const NOW = 1_900_000_000;

let standIn: GitHubStandIn | undefined;
afterEach(() => standIn?.close());

async function start(options: Partial<GitHubStandInOptions> = {}): Promise<{ github: GitHubStandIn; upstream: Upstream }> {
  const github = (standIn = await startGitHubStandIn({ ...CLIENT, redirectUris: [CALLBACK], autoLogin: 'octocat', ...options }));
  const upstream = createUpstream(
    {
      kind: 'oauth2', issuer: 'https://github.com', ...CLIENT, scopes: ['read:user', 'user:email'], userIdField: 'id',
      endpoints: { authorization: github.authorizationUrl, token: github.tokenUrl, userinfo: github.userUrl },
    },
    { callbackUrl: CALLBACK, now: () => NOW },
  );
  return { github, upstream };
}

async function signIn(upstream: Upstream) {
  const codeVerifier = randomBytes(32).toString('base64url');
  const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
  const url = await upstream.authorizationUrl({ state: 'the-state', codeChallenge, nonce: 'unused' });
  const callback = await followToCallback(url, CALLBACK);
  expect(callback.searchParams.get('state')).toBe('the-state');
  return { code: callback.searchParams.get('code') ?? '', codeVerifier, nonce: 'unused' };
}

async function refusal(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe('plain OAuth 2 upstream against a GitHub-like server', () => {
  it('asks for a code with PKCE S256, state and the callback, and no nonce', async () => {
    const { github, upstream } = await start();
    const url = await upstream.authorizationUrl({ state: 'st', codeChallenge: 'c'.repeat(43), nonce: 'nn' });
    expect(url.href.startsWith(github.authorizationUrl)).toBe(true);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code', client_id: CLIENT.clientId, redirect_uri: CALLBACK, scope: 'read:user user:email',
      state: 'st', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256',
    });
  });

  it("exchanges the code and names the user by GitHub's numeric id", async () => {
    const { github, upstream } = await start();
    const { identity, tokens } = await upstream.exchangeCode(await signIn(upstream));
    expect(identity).toEqual({ subject: '1001', name: 'The Octocat', email: 'octocat@example.com' });
    expect(tokens).toEqual({ accessToken: expect.stringMatching(/^gho_/), scope: 'read:user user:email' });
    expect(upstream.profileUrl).toBe(github.userUrl);
  });

  it('shows the login as the name of a user without one, but never uses it as the subject', async () => {
    const { upstream } = await start({ autoLogin: 'hubot' });
    const { identity } = await upstream.exchangeCode(await signIn(upstream));
    expect(identity).toEqual({ subject: '1002', name: 'hubot' });
  });

  it('refuses a user the user API answers without an id', async () => {
    const { upstream } = await start({ users: [{ id: null, login: 'ghost', name: 'Ghost', email: null }], autoLogin: 'ghost' });
    const error = await refusal(upstream.exchangeCode(await signIn(upstream)));
    expect(error.kind).toBe('invalid');
  });

  it("handles GitHub's errors answered with HTTP 200 as refusals with their code", async () => {
    const { upstream } = await start();
    const { code, codeVerifier, nonce } = await signIn(upstream);
    const wrongVerifier = await refusal(upstream.exchangeCode({ code, codeVerifier: `${codeVerifier}x`, nonce }));
    expect([wrongVerifier.kind, wrongVerifier.oauthError]).toEqual(['refused', 'bad_verification_code']);
    // The code was consumed by the failed attempt, as at GitHub.
    const reused = await refusal(upstream.exchangeCode({ code, codeVerifier, nonce }));
    expect([reused.kind, reused.oauthError]).toEqual(['refused', 'bad_verification_code']);
    expect(reused.message).not.toContain(code);
  });

  it('passes on a refusal of the client credentials without naming the secret', async () => {
    const { github } = await start();
    const upstream = createUpstream(
      {
        kind: 'oauth2', issuer: 'https://github.com', clientId: CLIENT.clientId, clientSecret: 'wrong-secret', scopes: [],
        userIdField: 'id', endpoints: { authorization: github.authorizationUrl, token: github.tokenUrl, userinfo: github.userUrl },
      },
      { callbackUrl: CALLBACK, now: () => NOW },
    );
    const error = await refusal(upstream.exchangeCode(await signIn(upstream)));
    expect([error.kind, error.oauthError]).toEqual(['refused', 'incorrect_client_credentials']);
    expect(error.message).not.toContain('wrong-secret');
  });

  it('refreshes expiring tokens (GitHub App) and keeps the rotated refresh token', async () => {
    const { upstream } = await start({ expiringTokens: true });
    const { tokens } = await upstream.exchangeCode(await signIn(upstream));
    expect(tokens.expiresAt).toBe(NOW + 28800);
    const fresh = await upstream.refresh(tokens.refreshToken ?? '');
    expect(fresh.accessToken).not.toBe(tokens.accessToken);
    expect(fresh.refreshToken).toMatch(/^ghr_/);
    expect(fresh.refreshToken).not.toBe(tokens.refreshToken);
    const reused = await refusal(upstream.refresh(tokens.refreshToken ?? ''));
    expect([reused.kind, reused.oauthError]).toEqual(['refused', 'bad_refresh_token']);
  });

  it('refuses an authorization response naming another issuer', async () => {
    const { github, upstream } = await start();
    const before = github.requests['/login/oauth/access_token'] ?? 0;
    const error = await refusal(upstream.exchangeCode({ ...(await signIn(upstream)), iss: 'https://attacker.example' }));
    expect(error.kind).toBe('invalid');
    expect(github.requests['/login/oauth/access_token'] ?? 0).toBe(before);
  });

  it('is unavailable while the provider is down, and reachable again after', async () => {
    const { github, upstream } = await start();
    const pending = await signIn(upstream);
    github.setDown(true);
    expect((await refusal(upstream.exchangeCode(pending))).kind).toBe('unavailable');
    expect((await refusal(upstream.check())).kind).toBe('unavailable');
    github.setDown(false);
    await upstream.check();
  });

  it('never takes the login (or anything else) for the user id', async () => {
    const { github } = await start();
    // Without userIdField the id is read from `sub`, which GitHub does not have: refused, not the login.
    const upstream = createUpstream(
      {
        kind: 'oauth2', issuer: 'https://github.com', ...CLIENT, scopes: [],
        endpoints: { authorization: github.authorizationUrl, token: github.tokenUrl, userinfo: github.userUrl },
      },
      { callbackUrl: CALLBACK, now: () => NOW },
    );
    expect((await refusal(upstream.exchangeCode(await signIn(upstream)))).kind).toBe('invalid');
    for (const id of ['', 1.5, true, { id: 1 }, ['1'], null, Number.MAX_VALUE]) {
      expect(() => identityFromUser({ id, login: 'octocat' }, 'id')).toThrow(UpstreamError);
    }
    expect(identityFromUser({ id: 'a-uuid' }, 'id')).toEqual({ subject: 'a-uuid' });
  });

  it('refuses plain http endpoints on another host and missing endpoints when created', () => {
    const config = { kind: 'oauth2' as const, issuer: 'https://github.com', ...CLIENT, scopes: [] };
    const endpoints = { authorization: 'https://github.com/login/oauth/authorize', token: 'http://github.com/token', userinfo: 'https://api.github.com/user' };
    expect(() => createUpstream({ ...config, endpoints }, { callbackUrl: CALLBACK, now: () => NOW })).toThrow(TypeError);
    expect(() => createUpstream(config, { callbackUrl: CALLBACK, now: () => NOW })).toThrow(/AUTH_TOKEN_URL/);
    // The example tool would send the provider's token to the profile URL: http to another host is refused too.
    const secure = { ...endpoints, token: 'https://github.com/login/oauth/access_token' };
    expect(() => createUpstream({ ...config, endpoints: secure, profileUrl: 'http://api.github.com/user' }, { callbackUrl: CALLBACK, now: () => NOW })).toThrow(TypeError);
    expect(() => createUpstream({ ...config, kind: 'oidc', profileUrl: 'http://graph.example/me' }, { callbackUrl: CALLBACK, now: () => NOW })).toThrow(TypeError);
  });
});
