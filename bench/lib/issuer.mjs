import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * A stand-in authorization server on 127.0.0.1: OIDC discovery and a JWKS, plus a signer for access tokens.
 * Every server under test trusts it, so they all verify the same tokens against the same keys.
 */
export async function startIssuer({ alg = 'RS256' } = {}) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-key', alg, use: 'sig' };
  let issuer = '';
  const server = createServer((req, res) => {
    const json = (body) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration' || req.url === '/.well-known/oauth-authorization-server') {
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        grant_types_supported: ['authorization_code'],
      });
    }
    if (req.url === '/jwks') return json({ keys: [jwk] });
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  return {
    issuer,
    jwk,
    privateKey,
    /** An access token for `audience`; `claims` override the defaults. */
    mint(audience, claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, aud: audience, sub: 'bench-user', client_id: 'bench', scope: 'read write', iat: now, exp: now + 3600, ...claims })
        .setProtectedHeader({ alg, kid: 'bench-key', typ: 'at+jwt', ...header })
        .sign(privateKey);
    },
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}
