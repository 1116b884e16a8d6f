import { randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../src/broker/contracts.js';
import { CLIENT, ISSUER, REDIRECT, RESOURCE, setupCore } from '../helpers/broker-core-setup.js';

const invalidGrant = { name: 'BrokerError', code: 'invalid_grant' };

describe('authorization codes', () => {
  it('redeem once for an RFC 9068 access token and a refresh token', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    expect(t).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'read write' });
    expect(decodeProtectedHeader(t.access_token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: (await core.keys.current()).kid });
    const claims = decodeJwt(t.access_token);
    expect(claims).toMatchObject({ iss: ISSUER, aud: RESOURCE.href, sub: 'user-1', client_id: CLIENT, scope: 'read write', grant_id: t.grantId });
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(typeof claims.jti).toBe('string');
    // The provider's tokens never reach the client.
    expect(JSON.stringify(t)).not.toContain('upstream');
  });

  it('are stored by hash only, never in clear', async () => {
    const core = await setupCore();
    const grantId = await core.grant();
    const code = await core.code(grantId);
    expect(await core.store.get(`code:${code}`)).toBeUndefined();
  });

  it('used twice: the second use fails and revokes the tokens the first one got', async () => {
    const core = await setupCore();
    const grantId = await core.grant();
    const code = await core.code(grantId);
    const redeem = () => core.grants.redeemCode({ code, clientId: CLIENT, redirectUri: REDIRECT, codeVerifier: core.verifierCode });
    const first = await redeem();
    await expect(core.verifier.verifyAccessToken(first.access_token)).resolves.toBeDefined();
    await expect(redeem()).rejects.toMatchObject(invalidGrant);
    await expect(core.verifier.verifyAccessToken(first.access_token)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(core.grants.refresh({ refreshToken: first.refresh_token, clientId: CLIENT })).rejects.toMatchObject(invalidGrant);
  });

  it('redeemed concurrently: at most one caller gets tokens, and the replay revokes them', async () => {
    const core = await setupCore();
    const code = await core.code(await core.grant());
    const results = await Promise.allSettled([1, 2, 3].map(() => core.grants.redeemCode({ code, clientId: CLIENT, redirectUri: REDIRECT, codeVerifier: core.verifierCode })));
    const issued = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(issued.length).toBeLessThanOrEqual(1);
    const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    // The two losers are told the code was replayed; the winner may find its grant already revoked by them.
    expect(rejected.filter((e) => /already used/.test(e.message))).toHaveLength(2);
    expect(rejected.every((e) => (e as BrokerError).code === 'invalid_grant')).toBe(true);
    for (const t of issued) await expect(core.verifier.verifyAccessToken(t.access_token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it.each([
    ['a wrong code_verifier', { codeVerifier: randomBytes(32).toString('base64url') }],
    ['a too short code_verifier', { codeVerifier: 'short' }],
    ['another client', { clientId: 'https://evil.example.com/client.json' }],
    ['another redirect_uri', { redirectUri: 'http://127.0.0.1:33419/callback' }],
    ['a redirect_uri differing by a trailing slash', { redirectUri: `${REDIRECT}/` }],
    ['another resource', { resource: 'https://other.example.com/mcp' }],
  ])('refuse %s, and the code is spent', async (_, change) => {
    const core = await setupCore();
    const code = await core.code(await core.grant());
    const request = { code, clientId: CLIENT, redirectUri: REDIRECT, codeVerifier: core.verifierCode };
    await expect(core.grants.redeemCode({ ...request, ...change })).rejects.toMatchObject(invalidGrant);
    await expect(core.grants.redeemCode(request)).rejects.toMatchObject(invalidGrant);
  });

  it('refuse a plain PKCE challenge (the verifier itself), and a missing one', async () => {
    const core = await setupCore();
    const grantId = await core.grant();
    const verifier = randomBytes(32).toString('base64url').slice(0, 43);
    const plain = await core.grants.issueCode({ grantId, clientId: CLIENT, redirectUri: REDIRECT, codeChallenge: verifier, resource: RESOURCE.href, scopes: ['read'] });
    await expect(core.grants.redeemCode({ code: plain, clientId: CLIENT, redirectUri: REDIRECT, codeVerifier: verifier })).rejects.toMatchObject(invalidGrant);
    const grantId2 = await core.grant();
    for (const codeChallenge of ['', 'abc', `${core.challenge}=`]) {
      await expect(core.grants.issueCode({ grantId: grantId2, clientId: CLIENT, redirectUri: REDIRECT, codeChallenge, resource: RESOURCE.href, scopes: ['read'] })).rejects.toMatchObject({ code: 'invalid_request' });
    }
  });

  it('expire after 60 seconds', async () => {
    const core = await setupCore();
    const code = await core.code(await core.grant());
    core.clock.advance(60);
    await expect(core.grants.redeemCode({ code, clientId: CLIENT, redirectUri: REDIRECT, codeVerifier: core.verifierCode })).rejects.toThrow(/unknown or has expired/);
  });

  it('are refused for another resource than this server, and for another client than the grant', async () => {
    const core = await setupCore();
    await expect(core.grants.createGrant({ clientId: CLIENT, identity: { subject: 'u' }, scopes: [], resource: 'https://other.example.com/mcp', upstreamTokens: { accessToken: 'a' } })).rejects.toMatchObject({ code: 'invalid_target' });
    const grantId = await core.grant();
    await expect(core.grants.issueCode({ grantId, clientId: 'other', redirectUri: REDIRECT, codeChallenge: core.challenge, resource: RESOURCE.href, scopes: [] })).rejects.toMatchObject(invalidGrant);
  });
});

describe('refresh tokens', () => {
  it('rotate on every use; the new access token works', async () => {
    const core = await setupCore();
    const first = await core.tokens();
    const second = await core.grants.refresh({ refreshToken: first.refresh_token, clientId: CLIENT });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    await expect(core.verifier.verifyAccessToken(second.access_token)).resolves.toMatchObject({ clientId: CLIENT, scopes: ['read', 'write'] });
    const third = await core.grants.refresh({ refreshToken: second.refresh_token, clientId: CLIENT });
    expect(third.refresh_token).not.toBe(second.refresh_token);
  });

  it('reused after rotation: the whole family is revoked (the thief and the user both lose it)', async () => {
    const core = await setupCore();
    const first = await core.tokens();
    const second = await core.grants.refresh({ refreshToken: first.refresh_token, clientId: CLIENT });
    await expect(core.grants.refresh({ refreshToken: first.refresh_token, clientId: CLIENT })).rejects.toThrow(/already used; the whole grant is revoked/);
    await expect(core.grants.refresh({ refreshToken: second.refresh_token, clientId: CLIENT })).rejects.toMatchObject(invalidGrant);
    await expect(core.verifier.verifyAccessToken(second.access_token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('presented by another client: refused, and the family is revoked', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    await expect(core.grants.refresh({ refreshToken: t.refresh_token, clientId: 'https://evil.example.com/c.json' })).rejects.toMatchObject(invalidGrant);
    await expect(core.grants.refresh({ refreshToken: t.refresh_token, clientId: CLIENT })).rejects.toMatchObject(invalidGrant);
  });

  it('used concurrently: one rotation at most, and the replay revokes the family', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    const results = await Promise.allSettled([1, 2].map(() => core.grants.refresh({ refreshToken: t.refresh_token, clientId: CLIENT })));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(results.length - results.filter((r) => r.status === 'fulfilled').length);
    expect(results.some((r) => r.status === 'rejected' && /already used/.test((r.reason as Error).message))).toBe(true);
    for (const r of results) if (r.status === 'fulfilled') await expect(core.verifier.verifyAccessToken(r.value.access_token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('may narrow the scope, never widen it; a refused widening keeps the token usable', async () => {
    const core = await setupCore();
    const t = await core.tokens(['read']);
    await expect(core.grants.refresh({ refreshToken: t.refresh_token, clientId: CLIENT, scope: 'read admin' })).rejects.toMatchObject({ code: 'invalid_scope' });
    const narrowed = await core.grants.refresh({ refreshToken: t.refresh_token, clientId: CLIENT, scope: 'read' });
    expect(narrowed.scope).toBe('read');
    const core2 = await setupCore();
    const t2 = await core2.tokens(['read', 'write']);
    const onlyRead = await core2.grants.refresh({ refreshToken: t2.refresh_token, clientId: CLIENT, scope: 'read' });
    expect(decodeJwt(onlyRead.access_token).scope).toBe('read');
    // Narrowing one access token does not shrink the grant: the next refresh may ask for all of it again.
    expect((await core2.grants.refresh({ refreshToken: onlyRead.refresh_token, clientId: CLIENT })).scope).toBe('read write');
  });

  it('are refused for another resource', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    await expect(core.grants.refresh({ refreshToken: t.refresh_token, clientId: CLIENT, resource: 'https://other.example.com/mcp' })).rejects.toMatchObject({ code: 'invalid_target' });
  });

  it('end with the grant: no refresh past its absolute lifetime', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    core.clock.advance(86_400);
    await expect(core.grants.refresh({ refreshToken: t.refresh_token, clientId: CLIENT })).rejects.toMatchObject(invalidGrant);
  });

  it('unknown ones are refused without revoking anything', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    await expect(core.grants.refresh({ refreshToken: 'made-up', clientId: CLIENT })).rejects.toBeInstanceOf(BrokerError);
    await expect(core.verifier.verifyAccessToken(t.access_token)).resolves.toBeDefined();
  });
});

describe('revocation (RFC 7009)', () => {
  it('of a refresh token ends the grant and its access tokens', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    await core.grants.revoke({ token: t.refresh_token, clientId: CLIENT });
    await expect(core.verifier.verifyAccessToken(t.access_token)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(core.grants.refresh({ refreshToken: t.refresh_token, clientId: CLIENT })).rejects.toMatchObject(invalidGrant);
  });

  it('of an access token ends the grant too', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    await core.grants.revoke({ token: t.access_token, clientId: CLIENT });
    await expect(core.verifier.verifyAccessToken(t.access_token)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(core.grants.refresh({ refreshToken: t.refresh_token, clientId: CLIENT })).rejects.toMatchObject(invalidGrant);
  });

  it("ignores unknown tokens, another client's tokens, and forged access tokens", async () => {
    const core = await setupCore();
    const t = await core.tokens();
    await core.grants.revoke({ token: 'unknown', clientId: CLIENT });
    await core.grants.revoke({ token: t.refresh_token, clientId: 'other' });
    await core.grants.revoke({ token: t.access_token, clientId: 'other' });
    // An unsigned token naming the grant (the grant id is no secret to whoever saw a token of it) does nothing.
    const [header, payload] = t.access_token.split('.');
    await core.grants.revoke({ token: `${header}.${payload}.`, clientId: CLIENT });
    await expect(core.verifier.verifyAccessToken(t.access_token)).resolves.toBeDefined();
  });
});
