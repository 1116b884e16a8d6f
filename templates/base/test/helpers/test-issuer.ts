import { createServer, type IncomingMessage, type Server } from 'node:http';
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
  /** Signs exactly `claims` (no defaults), shaped as the provider's own tokens are: `typ` JWT unless given. */
  sign(claims: Record<string, unknown>, header?: { typ?: string }): Promise<string>;
  /** The issuer's current public key, as published in its JWKS. */
  publicJwk: JWK;
  /** Make an endpoint fail with this status (or recover with `undefined`). */
  fail: { discovery?: number | undefined; jwks?: number | undefined };
  /** Serve a metadata document claiming another issuer. */
  claimIssuer: string | undefined;
  /** Members replacing those of the published metadata (`undefined` drops one, e.g. `code_challenge_methods_supported`). */
  metadataOverrides: Record<string, unknown>;
  /** Publish an empty JWKS (a provider that signs with a shared secret has no public keys). */
  emptyJwks: boolean;
  /** Opaque tokens the introspection endpoint knows, with the claims it reports for each. */
  opaque: Map<string, Record<string, unknown>>;
  /** Answer introspection like Google's tokeninfo instead of RFC 7662. */
  style: 'rfc7662' | 'google-tokeninfo';
  /** Make the introspection endpoint fail with this status, or hang up (`'down'`). */
  failIntrospection: number | 'down' | undefined;
  /** While set, introspection requests are counted on arrival but answered only once it settles (concurrency tests). */
  holdIntrospection: Promise<void> | undefined;
  requests: { discovery: number; jwks: number; introspection: number; authorization: string[] };
  close(): Promise<void>;
}

const KID = 'test-key-1';
type State = Omit<TestIssuer, 'issuer' | 'mint' | 'sign' | 'publicJwk' | 'close'>;

/**
 * A stand-in authorization server for tests on 127.0.0.1: discovery (OIDC and RFC 8414 paths), a JWKS, and an RFC
 * 7662 introspection endpoint (or Google-style tokeninfo) for opaque tokens; it mints tokens with jose. It can go
 * down, lie about its issuer, or sign with other keys, so every refusal path can be exercised.
 */
export async function startTestIssuer(defaults: { audience?: string; alg?: string } = {}): Promise<TestIssuer> {
  const alg = defaults.alg ?? 'RS256';
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: KID, alg, use: 'sig' };
  const state: State = {
    audience: defaults.audience ?? 'https://mcp.example/mcp',
    fail: {},
    claimIssuer: undefined,
    metadataOverrides: {},
    emptyJwks: false,
    opaque: new Map(),
    style: 'rfc7662',
    failIntrospection: undefined,
    holdIntrospection: undefined,
    requests: { discovery: 0, jwks: 0, introspection: 0, authorization: [] },
  };
  let issuer = '';

  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration' || req.url === '/.well-known/oauth-authorization-server') {
      state.requests.discovery++;
      if (state.fail.discovery) return json(state.fail.discovery, { error: 'down' });
      return json(200, {
        issuer: state.claimIssuer ?? issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        introspection_endpoint: `${issuer}/introspect`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        ...state.metadataOverrides,
      });
    }
    if (req.url === '/jwks') {
      state.requests.jwks++;
      if (state.fail.jwks) return json(state.fail.jwks, { error: 'down' });
      return json(200, { keys: state.emptyJwks ? [] : [publicJwk] });
    }
    if (req.url === '/introspect' && req.method === 'POST') return introspect(req, json);
    json(404, { error: 'not_found' });
  });

  function introspect(req: IncomingMessage, json: (status: number, body: unknown) => void): void {
    state.requests.introspection++;
    state.requests.authorization.push(req.headers.authorization ?? '');
    if (state.failIntrospection === 'down') return void req.socket.destroy();
    if (state.failIntrospection) return json(state.failIntrospection, { error: 'server_error' });
    let body = '';
    const hold = state.holdIntrospection ?? Promise.resolve();
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => void hold.then(() => {
      const form = new URLSearchParams(body);
      const claims = state.opaque.get(form.get('token') ?? form.get('access_token') ?? '');
      if (state.style === 'google-tokeninfo') {
        if (!claims) return json(400, { error_description: 'Invalid Value' });
        return json(200, { ...claims, exp: String(claims['exp']) });
      }
      json(200, claims ? { active: true, ...claims } : { active: false });
    }));
  }

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
        .setProtectedHeader({ alg: options.header?.alg ?? alg, kid: options.header?.kid ?? KID, typ: options.header?.typ ?? 'at+jwt' })
        .sign(options.key ?? privateKey);
    },
    sign: (claims: Record<string, unknown>, header: { typ?: string } = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg, kid: KID, typ: header.typ ?? 'JWT' }).sign(privateKey),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  });
}
