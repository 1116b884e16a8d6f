import { randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/auth/errors.js';
import { StoreUnavailableError, type BrokerStore } from '../../src/broker/contracts.js';
import { createBrokerVerifier } from '../../src/broker/verifier.js';
import { CLIENT, ISSUER, RESOURCE, setupCore } from '../helpers/broker-core-setup.js';

/** A token that matches a genuine one except for what the test changes, signed with our current key. */
async function forge(core: Awaited<ReturnType<typeof setupCore>>, genuine: string, change: { claims?: JWTPayload; header?: Record<string, unknown>; drop?: string }) {
  const claims: JWTPayload = { ...decodeJwt(genuine), ...change.claims };
  if (change.drop) delete claims[change.drop];
  const { kid, privateKey } = await core.keys.current();
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid, ...change.header }).sign(privateKey);
}

function base64url(value: unknown) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const refused = { name: 'AuthError', code: 'invalid_token' };

describe('the broker verifier', () => {
  it('accepts a genuine token and reports who, which client, which scopes, and the provider access', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    const auth = await core.verifier.verifyAccessToken(t.access_token);
    expect(auth).toMatchObject({ token: t.access_token, clientId: CLIENT, scopes: ['read', 'write'], resource: RESOURCE, expiresAt: decodeJwt(t.access_token).exp });
    expect(auth.extra).toMatchObject({ subject: 'user-1', issuer: ISSUER, grantId: t.grantId, claims: { name: 'Ada', email: 'ada@example.com', grant_id: t.grantId } });
    expect(await (auth.extra!['provider'] as { accessToken(): Promise<string> }).accessToken()).toBe('upstream-at');
  });

  it('refuses alg none and HS256 (keyed with the public key or anything else)', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    const [, payload] = t.access_token.split('.');
    const none = `${base64url({ alg: 'none', typ: 'at+jwt' })}.${payload}.`;
    await expect(core.verifier.verifyAccessToken(none)).rejects.toMatchObject(refused);
    const hs = await new SignJWT(decodeJwt(t.access_token)).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: decodeProtectedHeader(t.access_token).kid! }).sign(randomBytes(32));
    await expect(core.verifier.verifyAccessToken(hs)).rejects.toMatchObject(refused);
  });

  it.each([
    ['another typ (an ID token or a plain JWT)', { header: { typ: 'JWT' } }],
    ['another issuer', { claims: { iss: 'https://evil.example.com' } }],
    ['another audience', { claims: { aud: 'https://other.example.com/mcp' } }],
    ['the issuer as audience', { claims: { aud: ISSUER } }],
    ['no grant_id', { drop: 'grant_id' }],
    ['no client_id', { drop: 'client_id' }],
    ['no sub', { drop: 'sub' }],
    ['no jti', { drop: 'jti' }],
    ['no exp', { drop: 'exp' }],
    ['a grant_id that is not a string', { claims: { grant_id: 42 } }],
    ['a made-up grant_id', { claims: { grant_id: 'no-such-grant' } }],
    ["another client's id on a real grant", { claims: { client_id: 'https://evil.example.com/c.json' } }],
    ['another subject on a real grant', { claims: { sub: 'admin' } }],
  ])('refuses a token with %s', async (_, change) => {
    const core = await setupCore();
    const t = await core.tokens();
    await expect(core.verifier.verifyAccessToken(await forge(core, t.access_token, change))).rejects.toMatchObject(refused);
  });

  it('refuses an expired token (after a few seconds of clock tolerance)', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    core.clock.advance(300 + 4);
    await expect(core.verifier.verifyAccessToken(t.access_token)).resolves.toBeDefined();
    core.clock.advance(1);
    await expect(core.verifier.verifyAccessToken(t.access_token)).rejects.toThrow(/expired/);
  });

  it('refuses an unknown kid, and a key that is not ours even under our kid', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    const { privateKey } = await generateKeyPair('ES256');
    const claims = decodeJwt(t.access_token);
    const unknownKid = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'unknown' }).sign(privateKey);
    await expect(core.verifier.verifyAccessToken(unknownKid)).rejects.toMatchObject(refused);
    const ourKid = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: decodeProtectedHeader(t.access_token).kid! }).sign(privateKey);
    await expect(core.verifier.verifyAccessToken(ourKid)).rejects.toMatchObject(refused);
    // An embedded key is not a way in either.
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const embedded = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk: await exportJWK(publicKey) }).sign(privateKey);
    await expect(core.verifier.verifyAccessToken(embedded)).rejects.toMatchObject(refused);
  });

  it('refuses a revoked grant at once, even for a token it verified a moment ago (cached signature)', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    await core.verifier.verifyAccessToken(t.access_token);
    await core.grants.revoke({ token: t.refresh_token, clientId: CLIENT });
    await expect(core.verifier.verifyAccessToken(t.access_token)).rejects.toThrow(/revoked/);
  });

  it('still accepts tokens of a rotated-out key until they expire', async () => {
    const core = await setupCore();
    await core.keys.current(); // the first key is made now
    core.clock.advance(90 * 86_400 - 100);
    const old = await core.tokens(); // signed by the first key, 100 s before it is due
    core.clock.advance(100);
    const fresh = await core.tokens();
    expect(decodeProtectedHeader(fresh.access_token).kid).not.toBe(decodeProtectedHeader(old.access_token).kid);
    await expect(core.verifier.verifyAccessToken(old.access_token)).resolves.toBeDefined();
    await expect(core.verifier.verifyAccessToken(fresh.access_token)).resolves.toBeDefined();
  });

  it('answers a store outage as temporarily_unavailable, not as a bad token', async () => {
    const core = await setupCore();
    const t = await core.tokens();
    const down: BrokerStore = { ...core.store, get: async () => { throw new StoreUnavailableError('redis down'); } };
    const verifier = createBrokerVerifier({ keys: core.keys, grants: core.grants, store: down, issuer: ISSUER, resource: RESOURCE, now: core.clock.now });
    const error = await verifier.verifyAccessToken(t.access_token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'temporarily_unavailable' });
  });

  it('refuses garbage', async () => {
    const core = await setupCore();
    for (const token of ['', 'a.b.c', 'not a jwt', `${base64url({ alg: 'ES256' })}.${base64url({})}.AAAA`]) {
      await expect(core.verifier.verifyAccessToken(token)).rejects.toMatchObject(refused);
    }
  });
});
