import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * The provider a broker project signs users in at, as small as the broker's OpenID upstream allows: discovery, a JWKS,
 * an authorization endpoint that signs the next user in at once (no login page; user-1, user-2, … in turn) and
 * redirects back with `iss` (RFC 9207), and a token endpoint (client_secret_basic, PKCE S256) answering an ES256 ID
 * token with the sign-in's nonce. One confidential client, `redirectUri` matched exactly. 127.0.0.1 only.
 */
export async function startOidcStandIn({ clientId, clientSecret, redirectUri }) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'stand-in-1', alg: 'ES256', use: 'sig' };
  const codes = new Map();
  let users = 0;
  let issuer = '';
  const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));

  async function token(req, res) {
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /i, ''), 'base64').toString().split(':').map(decodeURIComponent);
    if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: 'invalid_client' });
    if (form.get('grant_type') === 'refresh_token') return json(res, 200, { access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 3600 });
    const pending = codes.get(form.get('code'));
    codes.delete(form.get('code'));
    const verifier = form.get('code_verifier') ?? '';
    if (!pending || form.get('redirect_uri') !== redirectUri || createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) {
      return json(res, 400, { error: 'invalid_grant' });
    }
    const idToken = await new SignJWT({ nonce: pending.nonce, name: `Bench ${pending.user}`, email: `${pending.user}@example.com` })
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
      .setIssuer(issuer)
      .setAudience(clientId)
      .setSubject(pending.user)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    json(res, 200, { access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 3600, refresh_token: randomBytes(16).toString('hex'), id_token: idToken });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== clientId || q.get('redirect_uri') !== redirectUri || q.get('code_challenge_method') !== 'S256') return json(res, 400, { error: 'invalid_request' });
      const code = randomBytes(16).toString('hex');
      codes.set(code, { nonce: q.get('nonce'), challenge: q.get('code_challenge'), user: `user-${++users}` });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      back.searchParams.set('iss', issuer);
      return res.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === '/token' && req.method === 'POST') return void token(req, res).catch((error) => json(res, 500, { error: String(error) }));
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  return { issuer, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))) };
}
