import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface ProviderStandIn {
  issuer: string;
  /** Signs with the provider's usual algorithm (the first one the preset allows). */
  sign(claims: Record<string, unknown>, header?: { typ?: string }): Promise<string>;
  /** Opaque tokens the introspection endpoint knows, with the claims it reports for each. */
  opaque: Map<string, Record<string, unknown>>;
  /** Answer introspection like Google's tokeninfo instead of RFC 7662. */
  style: 'rfc7662' | 'google-tokeninfo';
  /** Make the introspection endpoint fail with this status, or hang up (`'down'`). */
  failIntrospection: number | 'down' | undefined;
  /** Publish an empty JWKS (a provider that signs with a shared secret has no public keys). */
  emptyJwks: boolean;
  /** Members replacing those of the published metadata (e.g. a plain-http `introspection_endpoint`). */
  metadataOverrides: Record<string, unknown>;
  /** While set, introspection requests are counted on arrival but answered only once it settles (concurrency tests). */
  holdIntrospection: Promise<void> | undefined;
  requests: { introspection: number; authorization: string[] };
  close(): Promise<void>;
}

/**
 * A stand-in for this project's identity provider on 127.0.0.1: OIDC discovery, a JWKS with a key of the provider's
 * usual algorithm, and an RFC 7662 introspection endpoint (or Google-style tokeninfo) for opaque tokens.
 */
export async function startProviderStandIn(alg: string): Promise<ProviderStandIn> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: 'provider-key-1', alg, use: 'sig' };
  let issuer = '';
  const state = {
    opaque: new Map<string, Record<string, unknown>>(),
    style: 'rfc7662' as 'rfc7662' | 'google-tokeninfo',
    failIntrospection: undefined as number | 'down' | undefined,
    emptyJwks: false,
    metadataOverrides: {} as Record<string, unknown>,
    holdIntrospection: undefined as Promise<void> | undefined,
    requests: { introspection: 0, authorization: [] as string[] },
  };
  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration' || req.url === '/.well-known/oauth-authorization-server') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        introspection_endpoint: `${issuer}/introspect`,
        response_types_supported: ['code'],
        ...state.metadataOverrides,
      });
    }
    if (req.url === '/jwks') return json(200, { keys: state.emptyJwks ? [] : [publicJwk] });
    if (req.url === '/introspect' && req.method === 'POST') {
      state.requests.introspection++;
      state.requests.authorization.push(req.headers.authorization ?? '');
      if (state.failIntrospection === 'down') return req.socket.destroy();
      if (state.failIntrospection) return json(state.failIntrospection, { error: 'server_error' });
      let body = '';
      const hold = state.holdIntrospection ?? Promise.resolve();
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => void hold.then(() => {
        const form = new URLSearchParams(body);
        const token = form.get('token') ?? form.get('access_token') ?? '';
        const claims = state.opaque.get(token);
        if (state.style === 'google-tokeninfo') {
          if (!claims) return json(400, { error_description: 'Invalid Value' });
          return json(200, { ...claims, exp: String(claims['exp']) });
        }
        json(200, claims ? { active: true, ...claims } : { active: false });
      }));
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    issuer,
    sign: (claims: Record<string, unknown>, header: { typ?: string } = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg, kid: 'provider-key-1', typ: header.typ ?? 'JWT' }).sign(privateKey),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  });
}
