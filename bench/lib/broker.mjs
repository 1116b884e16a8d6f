import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A broker project's bearer gate, wired in process the way its start.ts wires it: `createBroker` (memory store, a
 * scripted provider: nothing leaves the process) and `createMcpAuth` over `broker.verifier`. Tokens are issued the
 * real way, each through its own grant and authorization code (`redeemCode` with PKCE), by a second `Grants` on the
 * same store and secret, so the broker's verifier knows their keys and grants.
 */
export async function brokerGate(dir) {
  const load = (path) => import(pathToFileURL(join(dir, 'dist', path)).href);
  const [{ createMcpAuth, tokenRules }, { createBroker }, { createFileStore }, { deriveSecrets }, { createSigningKeys }, { createGrants }, { hashKey }, { readGrant }] = await Promise.all(
    ['auth/index.js', 'broker/index.js', 'broker/file-store.js', 'broker/secrets.js', 'broker/signing-keys.js', 'broker/grants.js', 'broker/store.js', 'broker/grant-records.js'].map(load),
  );
  const now = () => Math.floor(Date.now() / 1000);
  const resource = new URL('http://127.0.0.1:3000/mcp');
  const scopes = ['read', 'write'];
  const secret = randomBytes(32).toString('base64url');
  const lifetimes = { accessTokenSeconds: 3600, refreshTokenSeconds: 86_400 };
  const log = () => {};
  const upstream = {
    authorizationUrl: async () => new URL('http://127.0.0.1:9/authorize'),
    exchangeCode: async () => { throw new Error('not used by the bench'); },
    refresh: async () => ({ accessToken: 'fresh-upstream-token' }),
    check: async () => undefined,
    profileUrl: undefined,
  };
  const store = await createFileStore({ now });
  const config = { secret, upstream: { kind: 'oidc', issuer: 'http://127.0.0.1:9', clientId: 'bench', clientSecret: 'bench-secret', scopes: ['openid'] }, ...lifetimes };
  const broker = await createBroker({ resource, scopes, config, log, store, now, upstream });
  // As start.ts: the broker's verifier, no token cache in front of it (it checks the grant on every request).
  const mcpAuth = createMcpAuth({ issuer: broker.issuer, type: 'oauth', resource, scopes, rules: tokenRules, verifier: () => broker.verifier, tokenCacheMaxAgeMs: 0 });

  const secrets = await deriveSecrets(secret);
  const keys = await createSigningKeys({ store, secrets, now, log, accessTokenSeconds: lifetimes.accessTokenSeconds });
  const grants = createGrants({ store, secrets, keys, issuer: broker.issuer, resource, now, upstream, ...lifetimes });
  const clientId = 'https://client.example.com/client.json';
  const redirectUri = 'http://127.0.0.1:33418/callback';
  const codeVerifier = randomBytes(32).toString('base64url');
  const codeChallenge = await hashKey(codeVerifier); // S256: base64url(SHA-256(verifier))

  /** A signed-in user's first access token: grant, code, redemption. */
  async function issue(user) {
    const grantId = await grants.createGrant({
      clientId,
      identity: { subject: `user-${user}`, name: 'Bench User', email: 'bench@example.com' },
      scopes,
      resource: resource.href,
      upstreamTokens: { accessToken: `upstream-${user}`, refreshToken: `upstream-refresh-${user}`, expiresAt: now() + 3600 },
    });
    const code = await grants.issueCode({ grantId, clientId, redirectUri, codeChallenge, resource: resource.href, scopes });
    const { access_token: token } = await grants.redeemCode({ code, clientId, redirectUri, codeVerifier });
    return { token, grantId };
  }

  return {
    issuer: broker.issuer,
    audience: resource.href,
    jwks: await keys.jwks(),
    mcpAuth,
    issue,
    /** The part of every broker check that provider tokens do not pay: reading the grant from the store. */
    readGrant: (grantId) => readGrant(store, grantId, now),
    close: () => broker.close(),
  };
}
