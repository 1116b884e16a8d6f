import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
// The preset's required claims (Cognito token_use, Entra ver) are part of every well-formed token of this provider.
import { tokenRules } from '../../src/auth/index.js';
import { SCOPES } from '../../src/scopes.js';

export interface MintOptions {
  /** Header overrides: `alg`, `kid`, `typ`. */
  header?: { alg?: string; kid?: string; typ?: string };
  /** Sign with this key instead of the issuer's current one (a forged token). */
  key?: CryptoKey;
}

export interface TestIssuer {
  issuer: string;
  /** The `aud` of minted tokens unless a claim overrides it: set it to the server's URL once that is known. */
  audience: string;
  /** Signs an access token with the issuer's key: `claims` override the defaults, `undefined` removes a claim. */
  mint(claims?: Record<string, unknown>, options?: MintOptions): Promise<string>;
  /** The issuer's current public key, as published in its JWKS. */
  publicJwk: JWK;
  /** Make an endpoint fail with this status (or recover with `undefined`). */
  fail: { discovery?: number | undefined; jwks?: number | undefined };
  /** Serve a metadata document claiming another issuer. */
  claimIssuer: string | undefined;
  requests: { discovery: number; jwks: number };
  close(): Promise<void>;
}

/**
 * A stand-in authorization server for tests: serves OIDC discovery and a JWKS on 127.0.0.1 and mints tokens with
 * jose. It can go down, lie about its issuer, or sign with other keys, so every refusal path can be exercised.
 */
export async function startTestIssuer(defaults: { audience?: string; alg?: 'RS256' | 'ES256' } = {}): Promise<TestIssuer> {
  const alg = defaults.alg ?? 'RS256';
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg, use: 'sig' };
  const state: Pick<TestIssuer, 'audience' | 'fail' | 'claimIssuer' | 'requests'> = {
    audience: defaults.audience ?? 'https://mcp.example/mcp',
    fail: {},
    claimIssuer: undefined,
    requests: { discovery: 0, jwks: 0 },
  };
  let issuer = '';

  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration') {
      state.requests.discovery++;
      if (state.fail.discovery) return json(state.fail.discovery, { error: 'down' });
      return json(200, {
        issuer: state.claimIssuer ?? issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (req.url === '/jwks') {
      state.requests.jwks++;
      if (state.fail.jwks) return json(state.fail.jwks, { error: 'down' });
      return json(200, { keys: [publicJwk] });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return Object.assign(state, {
    issuer,
    publicJwk,
    async mint(claims: Record<string, unknown> = {}, options: MintOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = Object.fromEntries(
        Object.entries({ iss: issuer, aud: state.audience, sub: 'user-1', client_id: 'test-client', scope: SCOPES.join(' '), iat: now, exp: now + 300, ...tokenRules.requiredClaims, ...claims }).filter(([, value]) => value !== undefined),
      );
      return new SignJWT(payload)
        .setProtectedHeader({ alg: options.header?.alg ?? alg, kid: options.header?.kid ?? 'test-key-1', typ: options.header?.typ ?? 'at+jwt' })
        .sign(options.key ?? privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
