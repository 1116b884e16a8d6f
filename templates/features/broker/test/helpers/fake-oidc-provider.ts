/**
 * A tiny OpenID provider that answers whatever a test tells it to (node:http on 127.0.0.1): discovery, a JWKS and a
 * token endpoint whose answer (and ID token, minted with jose) the test controls. For the answers a real provider
 * never gives: ID tokens with the wrong nonce, audience, issuer or key, `alg: none`, expired ones.
 */
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { listenOnLoopback, readBody } from './stand-in-http.js';

export interface FakeTokenRequest {
  form: URLSearchParams;
  authorization: string | undefined;
}

export interface FakeOidcProvider {
  issuer: string;
  clientId: string;
  /** The discovery document; change or delete members to test refusals. */
  metadata: Record<string, unknown>;
  /** The token endpoint's answer to the next requests (status 200 unless given). */
  respond: (request: FakeTokenRequest) => Promise<{ status?: number; body: unknown }>;
  /** Signs an ID token: default claims (iss, aud, sub, nonce, iat, exp from `nowSeconds`) overridden by `claims`. */
  mintIdToken(claims?: Record<string, unknown>, options?: { key?: CryptoKey | Uint8Array; alg?: string; unsecured?: boolean }): Promise<string>;
  /** A successful token response around `idToken`. */
  tokenBody(idToken: string): Record<string, unknown>;
  tokenRequests: FakeTokenRequest[];
  nowSeconds: number;
  close(): Promise<void>;
}

export async function startFakeOidcProvider(o: { clientId: string; nonce: string; nowSeconds: number }): Promise<FakeOidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: 'fake-1', alg: 'ES256', use: 'sig' };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake.invalid').pathname;
    const json = (status: number, body: unknown): void =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === '/.well-known/openid-configuration') return json(200, fake.metadata);
    if (path === '/jwks') return json(200, { keys: [publicJwk] });
    if (path !== '/token' || req.method !== 'POST') return json(404, { error: 'not_found' });
    void readBody(req).then(async (text) => {
      const request = { form: new URLSearchParams(text), authorization: req.headers.authorization };
      fake.tokenRequests.push(request);
      const { status = 200, body } = await fake.respond(request);
      json(status, body);
    });
  });
  const issuer = `http://127.0.0.1:${await listenOnLoopback(server)}`;
  const fake: FakeOidcProvider = {
    issuer,
    clientId: o.clientId,
    nowSeconds: o.nowSeconds,
    metadata: {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      userinfo_endpoint: `${issuer}/userinfo`,
      id_token_signing_alg_values_supported: ['ES256', 'HS256', 'none'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    },
    tokenRequests: [],
    async mintIdToken(claims = {}, options = {}) {
      const now = fake.nowSeconds;
      const all: Record<string, unknown> = { iss: issuer, aud: o.clientId, sub: 'user-1', nonce: o.nonce, iat: now, exp: now + 300, ...claims };
      for (const [name, value] of Object.entries(all)) if (value === undefined) delete all[name];
      if (options.unsecured) return new UnsecuredJWT(all).encode();
      return new SignJWT(all).setProtectedHeader({ alg: options.alg ?? 'ES256', kid: 'fake-1' }).sign(options.key ?? privateKey);
    },
    tokenBody: (idToken) => ({ access_token: 'fake-access', token_type: 'Bearer', expires_in: 600, id_token: idToken }),
    respond: async () => ({ body: fake.tokenBody(await fake.mintIdToken()) }),
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
  return fake;
}
