/**
 * Stand-ins for the provider a broker signs users in at, for every broker test: a real OpenID provider
 * (oidc-provider, one confidential client, no registration) and a GitHub-like plain OAuth 2 server
 * (github-stand-in.ts). Both listen on 127.0.0.1:0, count requests per path and can be taken down (503).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { Configuration, JWK } from 'oidc-provider';
import { listenOnLoopback, readBody } from './stand-in-http.js';

export { followToCallback } from './stand-in-http.js';
export { startGitHubStandIn, type GitHubStandIn, type GitHubStandInOptions, type GitHubUser } from './github-stand-in.js';

export interface StandInUser {
  id: string;
  name: string;
  email: string;
  /** For the login page (browser tests); autoLogin needs none. */
  password: string;
}

export interface OidcStandInOptions {
  clientId: string;
  clientSecret: string;
  /** Matched exactly by oidc-provider. */
  redirectUris: string[];
  /** Default: alice and bob (password = id). */
  users?: StandInUser[];
  /** Sign this user in and grant consent without any page (tests without a browser). */
  autoLogin?: string;
  /** Port on 127.0.0.1 (default 0: a free one); `npm run dev` uses a fixed one (dev/broker-dev.ts). */
  port?: number;
}

export interface OidcStandIn {
  issuer: string;
  users: readonly StandInUser[];
  /** Every endpoint answers 503 while down (outage tests). */
  setDown(down: boolean): void;
  /** Requests per path, e.g. `requests['/token']`, `requests['/.well-known/openid-configuration']`, `requests['/me']`. */
  requests: Record<string, number>;
  close(): Promise<void>;
}

export const standInUsers: readonly StandInUser[] = Object.freeze([
  { id: 'alice', name: 'Alice Example', email: 'alice@example.com', password: 'alice' },
  { id: 'bob', name: 'Bob Example', email: 'bob@example.com', password: 'bob' },
]);

/** oidc-provider warns about Node 20 ("use Node 22") on import; it works, so that one notice is hidden. */
async function loadOidcProvider(): Promise<typeof import('oidc-provider')> {
  const warn = console.warn;
  console.warn = (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
    warn.apply(console, args);
  };
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = warn;
  }
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const loginPage = (action: string, error = ''): string =>
  `<!doctype html><title>Sign in</title><form method="post" action="${escapeHtml(action)}">${error && `<p>${escapeHtml(error)}</p>`}` +
  `<input name="username" autocomplete="username"><input name="password" type="password"><button>Sign in</button></form>`;

export async function startOidcStandIn(o: OidcStandInOptions): Promise<OidcStandIn> {
  const users = o.users ?? [...standInUsers];
  const { default: Provider } = await loadOidcProvider();
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'stand-in-1', alg: 'ES256', use: 'sig' } as JWK;
  const requests: Record<string, number> = {};
  let down = false;
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => void res.writeHead(503).end();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://stand-in.invalid').pathname;
    requests[path] = (requests[path] ?? 0) + 1;
    if (down) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
    handle(req, res);
  });
  const issuer = `http://127.0.0.1:${await listenOnLoopback(server, o.port)}`;
  const userById = (id: string): StandInUser | undefined => users.find((u) => u.id === id);

  const config: Configuration = {
    clients: [
      {
        client_id: o.clientId,
        client_secret: o.clientSecret,
        redirect_uris: o.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    // Name and email in the ID token itself, not only at userinfo (what Google and Entra do).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, registration: { enabled: false }, revocation: { enabled: true } },
    // A refresh token on every code exchange, rotated on use (Entra and Google issue them with offline access).
    issueRefreshToken: () => true,
    rotateRefreshToken: () => true,
    findAccount: (_ctx, sub) => {
      const user = userById(sub);
      return user && { accountId: user.id, claims: () => ({ sub: user.id, name: user.name, email: user.email }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // oidc-provider's userinfo lives at /me by default: moved, so /me can be the Graph-like route below.
    routes: { userinfo: '/userinfo' },
    renderError: (ctx, out) => {
      ctx.type = 'text/plain';
      ctx.body = `${out.error}: ${out.error_description ?? ''}`;
    },
    ttl: { AccessToken: 3600, IdToken: 3600, RefreshToken: 14 * 86400, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 14 * 86400 },
  };
  const provider = new Provider(issuer, config);

  /** Signs `accountId` in and grants everything the client asked for: the stand-in has no consent page. */
  async function finish(req: IncomingMessage, res: ServerResponse, accountId: string): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const action = new URL(req.url ?? '/', issuer).pathname;
    const details = await provider.interactionDetails(req, res);
    const signedIn = details.session?.accountId;
    if (req.method === 'GET') {
      const auto = o.autoLogin ?? (signedIn !== undefined && userById(signedIn) ? signedIn : undefined);
      if (auto !== undefined) return finish(req, res, auto);
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(action));
    }
    const form = new URLSearchParams(await readBody(req));
    const user = userById(form.get('username') ?? '');
    if (!user || user.password !== form.get('password')) {
      return void res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(action, 'Wrong username or password.'));
    }
    return finish(req, res, user.id);
  }

  /** Graph-like `/me`: the user of a valid access token (for the example tool of the Entra preset). */
  async function me(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const accessToken = token ? await provider.AccessToken.find(token) : undefined;
    const user = accessToken?.accountId ? userById(accessToken.accountId) : undefined;
    if (!user) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"InvalidAuthenticationToken"}}');
    const body = { id: user.id, displayName: user.name, mail: user.email, userPrincipalName: user.email };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  const callback = provider.callback();
  handle = (req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    const special = path.startsWith('/interaction/') ? interaction : path === '/me' ? me : undefined;
    if (!special) return void callback(req, res);
    special(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
    });
  };

  return {
    issuer,
    users,
    requests,
    setDown: (value) => void (down = value),
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
