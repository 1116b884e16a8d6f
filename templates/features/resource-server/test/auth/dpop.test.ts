import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, createSenderConstraintChecker, DPOP_ALGORITHMS } from '../../src/auth/index.js';
import { advertisedScopes } from '../../src/mcp/server.js';
import { createAttackTable } from '../helpers/attack-table.js';
import { initializeBody, post } from '../helpers/mcp-client.js';
import { startServerWithTestIssuer, type TestServer } from '../helpers/mcp-server.js';
import type { TestIssuer } from '../helpers/test-issuer.js';

/**
 * Sender-constrained tokens (RFC 9449 DPoP, RFC 8705 mTLS): a bound token works only with proof of its key, on
 * every request, and never as a plain bearer token. Each case is what a thief holding a stolen token would try.
 */
let issuer: TestIssuer;
let server: TestServer;
let close: () => Promise<void>;
const table = createAttackTable('sender-constrained tokens');

/** The legitimate client's DPoP key, and the `cnf.jkt` its tokens carry. */
let client: { privateKey: CryptoKey; jwk: JWK; jkt: string };

beforeAll(async () => {
  ({ issuer, server, close } = await startServerWithTestIssuer());
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  client = { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
});
afterAll(async () => {
  await close?.();
  table.flush();
});

const seconds = () => Math.floor(Date.now() / 1000);
const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

interface ProofOptions {
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  key?: CryptoKey;
  jwk?: JWK;
}

/** A DPoP proof for a POST to the MCP URL with `token`, as RFC 9449 §4.2 describes; options spoil one part of it. */
async function proof(token: string, options: ProofOptions = {}): Promise<string> {
  const claims = { jti: randomUUID(), htm: 'POST', htu: server.mcpUrl, iat: seconds(), ath: ath(token), ...options.claims };
  const payload = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: options.jwk ?? client.jwk, ...options.header } as never)
    .sign(options.key ?? client.privateKey);
}

const boundToken = (claims: Record<string, unknown> = {}) => issuer.mint({ cnf: { jkt: client.jkt }, ...claims });

async function send(headers: Record<string, string>) {
  const response = await post(server.mcpUrl, initializeBody(), headers);
  await response.body?.cancel();
  return { status: response.status, challenge: response.headers.get('www-authenticate') };
}

const paramsOf = (header: string) => Object.fromEntries([...header.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));

/** Records the row, then checks status, scheme and every challenge parameter (only the description's wording varies). */
function check(name: string, expected: { status: number; scheme?: 'Bearer' | 'DPoP'; error?: string }, got: { status: number; challenge: string | null }) {
  const expectedLine = `${expected.status}${expected.scheme ? ` ${expected.scheme} error="${expected.error}"` : ''}`;
  const have = got.challenge ? paramsOf(got.challenge) : {};
  const gotLine = `${got.status}${got.challenge ? ` ${got.challenge.split(' ')[0]} error="${have['error']}"` : ''}`;
  table.add({ name, expected: expectedLine, got: gotLine });
  expect(gotLine).toBe(expectedLine);
  if (!expected.scheme) return;
  expect(have['error_description']).toBeTruthy();
  expect(have['error_description']).not.toMatch(/eyJ|\bat .+:\d+/);
  expect(have['resource_metadata']).toBe(server.mcpAuth.resourceMetadataUrl);
  expect(have['scope']).toBe(advertisedScopes.join(' '));
  if (expected.scheme === 'DPoP') expect(have['algs']).toBe(DPOP_ALGORITHMS.join(' '));
  else expect(have['algs']).toBeUndefined();
}

const invalidProof = { status: 401, scheme: 'DPoP', error: 'invalid_dpop_proof' } as const;
const invalidDpopToken = { status: 401, scheme: 'DPoP', error: 'invalid_token' } as const;
const invalidBearer = { status: 401, scheme: 'Bearer', error: 'invalid_token' } as const;

describe('a bound token sent as a bearer token', () => {
  it('DPoP-bound (cnf.jkt) → 401 invalid_token, also once the token sits in the verified-token cache', async () => {
    const token = await boundToken();
    expect((await send({ Authorization: `DPoP ${token}`, DPoP: await proof(token) })).status).toBe(200); // now cached
    check('DPoP-bound token as bearer', invalidBearer, await send({ Authorization: `Bearer ${token}` }));
  });
  it('DPoP-bound, with a valid proof beside it → still 401: the Bearer scheme never carries a bound token', async () => {
    const token = await boundToken();
    check('DPoP-bound token as bearer, proof attached', invalidBearer, await send({ Authorization: `Bearer ${token}`, DPoP: await proof(token) }));
  });
  it('mTLS-bound (cnf x5t#S256) → 401 invalid_token: this server sees no client certificate', async () => {
    const token = await issuer.mint({ cnf: { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' } });
    check('mTLS-bound token as bearer', invalidBearer, await send({ Authorization: `Bearer ${token}` }));
  });
  it('bound by a confirmation method nobody checks (cnf.jwk) → 401 invalid_token', async () => {
    check('cnf.jwk-bound token as bearer', invalidBearer, await send({ Authorization: `Bearer ${await issuer.mint({ cnf: { jwk: client.jwk } })}` }));
  });
  it('with a malformed cnf (a string) → 401 invalid_token', async () => {
    check('cnf not an object', invalidBearer, await send({ Authorization: `Bearer ${await issuer.mint({ cnf: client.jkt })}` }));
  });
});

describe('a DPoP-bound token with the DPoP scheme', () => {
  it('and a valid proof → 200; the same proof replayed → 401 invalid_dpop_proof', async () => {
    const token = await boundToken();
    const dpop = await proof(token);
    check('valid DPoP proof', { status: 200 }, await send({ Authorization: `DPoP ${token}`, DPoP: dpop }));
    check('DPoP proof replayed (same jti)', invalidProof, await send({ Authorization: `DPoP ${token}`, DPoP: dpop }));
  });
  it('and a fresh proof on every request → 200 each time (the proof is checked per request, not cached)', async () => {
    const token = await boundToken();
    for (let i = 0; i < 3; i++) expect((await send({ Authorization: `DPoP ${token}`, DPoP: await proof(token) })).status).toBe(200);
  });
  it.each<[string, (token: string) => Promise<Record<string, string>>]>([
    ['no DPoP header', async () => ({})],
    ['two DPoP headers (joined)', async (token) => ({ DPoP: `${await proof(token)}, ${await proof(token)}` })],
    ['proof for GET, request is POST', async (token) => ({ DPoP: await proof(token, { claims: { htm: 'GET' } }) })],
    ['proof for another URL', async (token) => ({ DPoP: await proof(token, { claims: { htu: `${server.mcpUrl}-admin` } }) })],
    ['proof for another origin', async (token) => ({ DPoP: await proof(token, { claims: { htu: 'https://evil.example/mcp' } }) })],
    ['proof older than its lifetime (iat - 5 min)', async (token) => ({ DPoP: await proof(token, { claims: { iat: seconds() - 300 } }) })],
    ['proof dated in the future (iat + 5 min)', async (token) => ({ DPoP: await proof(token, { claims: { iat: seconds() + 300 } }) })],
    ['proof without ath', async (token) => ({ DPoP: await proof(token, { claims: { ath: undefined } }) })],
    ['proof made for another access token (ath)', async (token) => ({ DPoP: await proof(token, { claims: { ath: ath(`${token}x`) } }) })],
    ['proof without jti', async (token) => ({ DPoP: await proof(token, { claims: { jti: undefined } }) })],
    ['proof with typ JWT', async (token) => ({ DPoP: await proof(token, { header: { typ: 'JWT' } }) })],
    ['proof without an embedded jwk', async (token) => ({ DPoP: await proof(token, { header: { jwk: undefined } }) })],
    ['proof carrying the private key', async (token) => ({ DPoP: await proof(token, { jwk: await exportJWK(client.privateKey) }) })],
    ['proof signed by a key other than its jwk', async (token) => ({ DPoP: await proof(token, { key: (await generateKeyPair('ES256')).privateKey }) })],
    ['proof signed with HS256', async (token) => ({
      DPoP: await new SignJWT({ jti: randomUUID(), htm: 'POST', htu: server.mcpUrl, iat: seconds(), ath: ath(token) })
        .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt' })
        .sign(new TextEncoder().encode('a shared secret of thirty-two bytes!')),
    })],
    ['proof with alg none', async (token) => {
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return { DPoP: `${encode({ alg: 'none', typ: 'dpop+jwt', jwk: client.jwk })}.${encode({ jti: randomUUID(), htm: 'POST', htu: server.mcpUrl, iat: seconds(), ath: ath(token) })}.` };
    }],
  ])('and %s → 401 invalid_dpop_proof', async (name, headers) => {
    const token = await boundToken();
    check(`DPoP: ${name}`, invalidProof, await send({ Authorization: `DPoP ${token}`, ...(await headers(token)) }));
  });
  it('and a valid proof from another key (a thief with their own key) → 401 invalid_token', async () => {
    const token = await boundToken();
    const thief = await generateKeyPair('ES256', { extractable: true });
    const dpop = await proof(token, { key: thief.privateKey, jwk: await exportJWK(thief.publicKey) });
    check('DPoP proof by a key the token is not bound to', invalidDpopToken, await send({ Authorization: `DPoP ${token}`, DPoP: dpop }));
  });
  it('a token that is not bound, sent with the DPoP scheme → 401 invalid_token', async () => {
    const token = await issuer.mint();
    check('unbound token with the DPoP scheme', invalidDpopToken, await send({ Authorization: `DPoP ${token}`, DPoP: await proof(token) }));
  });
  it('an mTLS-bound token with the DPoP scheme and a proof → 401 invalid_token', async () => {
    const token = await issuer.mint({ cnf: { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' } });
    check('mTLS-bound token with the DPoP scheme', invalidDpopToken, await send({ Authorization: `DPoP ${token}`, DPoP: await proof(token) }));
  });
  it('a forged token under the DPoP scheme is still a forged token → 401 invalid_token', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await issuer.mint({ cnf: { jkt: client.jkt } }, { key: privateKey });
    check('forged token with a valid DPoP proof', invalidDpopToken, await send({ Authorization: `DPoP ${token}`, DPoP: await proof(token) }));
  });
});

describe('the replay cache', () => {
  const request = async (checker: ReturnType<typeof createSenderConstraintChecker>, token: string, dpop: string) => {
    try {
      await checker.check({ scheme: 'dpop', token, proofs: [dpop], method: 'POST' }, { jkt: client.jkt, unverifiable: [] });
      return 'accepted';
    } catch (error) {
      return error instanceof AuthError ? error.code : String(error);
    }
  };

  it('is bounded: when full of live proofs it refuses new ones with 503 rather than forget one, and makes room as they expire', async () => {
    let clock = Date.now();
    const checker = createSenderConstraintChecker({ resource: new URL(server.mcpUrl), maxRememberedProofs: 2, now: () => clock });
    const token = await boundToken();
    expect(await request(checker, token, await proof(token))).toBe('accepted');
    expect(await request(checker, token, await proof(token))).toBe('accepted');
    const third = await proof(token);
    const full = await request(checker, token, third);
    table.add({ name: 'replay cache full of live proofs', expected: 'temporarily_unavailable (503)', got: full });
    expect(full).toBe('temporarily_unavailable');
    clock += 61_000; // the first two proofs are past their lifetime: their ids may go
    const fresh = await proof(token, { claims: { iat: Math.floor(clock / 1000) } });
    expect(await request(checker, token, fresh)).toBe('accepted');
    expect(await request(checker, token, fresh)).toBe('invalid_dpop_proof');
  });
});
