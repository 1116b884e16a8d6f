/**
 * Embedded DEVELOPMENT OAuth 2.1 authorization server (oidc-provider). Never use it in production.
 *
 * Open dynamic client registration, authorization code + PKCE S256, RFC 8707 resource indicators:
 * ES256-signed JWT access tokens (`typ: at+jwt`) whose `aud` is the MCP server URL, refresh tokens for
 * clients registered with the refresh_token grant. Sign-in is a one-click list of development users; each client
 * an account has not approved yet (and a loopback client every time) gets a consent page naming it and the host its
 * redirect URI sends the code to.
 * Run it directly: `tsx dev/auth-server.ts` (env: AUTH_ISSUER, MCP_SERVER_URL, MCP_SCOPES,
 * DEV_AUTH_AUTO_APPROVE, DEV_AUTH_DATA_DIR).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Configuration } from 'oidc-provider';
import { DevStore, ensureDataDir } from './file-adapter.js';
import { createInteractionHandler } from './interactions.js';
import { loadCookieKeys, loadSigningKeys, SIGNING_ALG } from './keys.js';
import { PAGE_HEADERS, renderErrorPage, type DevUser } from './login-page.js';

export interface DevAuthServerOptions {
  /** Issuer URL, e.g. 'http://localhost:3001'. Host and port are taken from it; port 0 = pick a free one (the issuer then carries the real port). */
  issuer: string;
  /** The MCP server's public URL (RFC 8707 resource): the only resource tokens are issued for; becomes `aud`. */
  resource: string;
  /** Scopes the MCP server's tools use; all must be grantable. Never includes offline_access. */
  scopes: string[];
  /** Folder for persisted keys, cookie keys, clients and grants (git-ignored in projects: `.dev-auth`). Omit for in-memory (tests). */
  dataDir?: string;
  /** Sign the first dev user in and approve without showing a form (DEV_AUTH_AUTO_APPROVE=1). */
  autoApprove?: boolean;
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtl?: number;
  /** Bind address (default 127.0.0.1). */
  host?: string;
}

export interface DevAuthServer {
  issuer: string;
  url: URL;
  close(): Promise<void>;
}

export const devUsers: readonly { id: string; name: string; email: string }[] = Object.freeze([
  { id: 'alice', name: 'Alice Developer', email: 'alice@example.com' },
  { id: 'bob', name: 'Bob Tester', email: 'bob@example.com' },
]);

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3

/** Imports oidc-provider, hiding only its "Unsupported runtime" notice (it works on Node 20; other warnings pass). */
let oidcProvider: Promise<typeof import('oidc-provider')> | undefined;
function loadOidcProvider(): Promise<typeof import('oidc-provider')> {
  oidcProvider ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]): void => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
      warn.apply(console, args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = warn;
    }
  })();
  return oidcProvider;
}

/** `URL.parse` needs Node 20.18; this works from 20.12. */
const parseUrl = (value: string): URL | undefined => (URL.canParse(value) ? new URL(value) : undefined);

const isLoopbackHttp = (uri: string): boolean => {
  const u = parseUrl(uri);
  return u !== undefined && u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
};

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done((server.address() as AddressInfo).port);
    });
  });
}

export async function startDevAuthServer(options: DevAuthServerOptions): Promise<DevAuthServer> {
  const issuerUrl = new URL(options.issuer);
  if (issuerUrl.protocol !== 'http:' || issuerUrl.pathname !== '/' || issuerUrl.search || issuerUrl.hash) {
    throw new TypeError(`issuer must be a plain http origin such as http://localhost:3001 (got ${options.issuer})`);
  }
  if (!URL.canParse(options.resource)) throw new TypeError(`resource must be an absolute URL (got ${options.resource})`);
  const { resource, dataDir } = options;
  for (const scope of options.scopes) {
    if (!SCOPE_TOKEN.test(scope)) throw new TypeError(`invalid scope: ${JSON.stringify(scope)}`);
    if (scope === 'offline_access' || scope === 'openid') throw new TypeError(`${scope} is not an MCP tool scope`);
  }
  const scopes = [...new Set(options.scopes)];
  const accessTokenTtl = options.accessTokenTtl ?? 3600;
  if (dataDir !== undefined) await ensureDataDir(dataDir);
  const [{ default: Provider, errors }, jwks, cookieKeys, store] = await Promise.all([
    loadOidcProvider(),
    loadSigningKeys(dataDir),
    loadCookieKeys(dataDir),
    DevStore.open(dataDir),
  ]);

  // Listen first: the issuer must carry the real port. Requests before the provider is ready get 503.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => (handle ? handle(req, res) : res.writeHead(503).end()));
  issuerUrl.port = String(await listen(server, Number(issuerUrl.port || 80), options.host ?? '127.0.0.1'));
  const issuer = issuerUrl.origin;
  const userById = (id: string): DevUser | undefined => devUsers.find((u) => u.id === id);

  const config: Configuration = {
    adapter: store.adapterFor,
    jwks: jwks as Configuration['jwks'],
    cookies: { keys: cookieKeys },
    // MCP scopes are resource-server scopes (getResourceServerInfo), not OpenID Connect scopes: listed here,
    // consent would also have to grant them as OIDC scopes.
    scopes: ['openid'],
    claims: { openid: ['sub'] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget(`this server only issues tokens for ${resource}`);
          return {
            scope: scopes.join(' '),
            audience: resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: accessTokenTtl,
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
    extraClientMetadata: {
      properties: ['scope'],
      validator: (_ctx, key, _value, metadata) => {
        if (key !== 'scope') return;
        // A registered scope would become an allow-list (so later step-up fails with invalid_scope): drop it.
        delete metadata.scope;
        // Public clients with only loopback redirect URIs are native: any loopback port matches (RFC 8252 §7.3).
        const uris = metadata.redirect_uris;
        if (metadata.token_endpoint_auth_method === 'none' && uris?.length && uris.every(isLoopbackHttp)) {
          metadata.application_type = 'native';
        }
      },
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    clientBasedCORS: (_ctx, origin, client) =>
      isLoopbackHttp(origin) || client.redirectUris?.some((uri) => parseUrl(uri)?.origin === origin) === true,
    findAccount: (_ctx, sub) => {
      const user = userById(sub);
      return user && { accountId: user.id, claims: () => ({ sub: user.id, name: user.name, email: user.email }) };
    },
    extraTokenClaims: (_ctx, token) => {
      const user = 'accountId' in token && token.accountId !== undefined ? userById(token.accountId) : undefined;
      return user && { name: user.name, email: user.email };
    },
    // oidc-provider's default policy also asks native (loopback-redirect) clients on every authorization, approved
    // or not: RFC 8252 §8.6, any program on the machine can receive a loopback redirect and claim that client id.
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: (ctx, out) => {
      ctx.set(PAGE_HEADERS);
      ctx.body = renderErrorPage(`${out.error}${out.error_description ? `: ${out.error_description}` : ''}`);
    },
    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Grant: 30 * 24 * 3600,
      Session: 30 * 24 * 3600,
      RefreshToken: 30 * 24 * 3600,
    },
  };

  try {
    const provider = new Provider(issuer, config);
    provider.on('server_error', (_ctx, error) => console.error('dev auth server error:', error));
    const interactions = createInteractionHandler({
      provider,
      issuer,
      resource,
      scopes,
      users: devUsers,
      autoApprove: options.autoApprove ?? false,
      csrfKey: createHmac('sha256', cookieKeys[0] ?? '').update('csrf').digest(),
    });
    const callback = provider.callback();
    handle = (req, res) => {
      if (req.url?.startsWith('/interaction/')) return void interactions(req, res);
      // RFC 6749 §3.3 default scope: an authorization request without `scope` asks for every MCP scope
      // (oidc-provider would otherwise answer access_denied, as nothing was requested).
      if (req.method === 'GET' && (req.url === '/auth' || req.url?.startsWith('/auth?'))) {
        const url = new URL(req.url, issuer);
        if (!url.searchParams.has('scope') && scopes.length > 0) {
          url.searchParams.set('scope', scopes.join(' '));
          req.url = `${url.pathname}${url.search}`;
        }
      }
      void callback(req, res);
    };
  } catch (error) {
    server.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    issuer,
    url: new URL(issuer),
    close: () =>
      (closing ??= new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }).then(() => store.flush())),
  };
}

const envFlag = (value: string | undefined): boolean => ['1', 'true', 'yes', 'on'].includes((value ?? '').trim().toLowerCase());

async function main(): Promise<void> {
  const env = process.env;
  const resource = env.MCP_SERVER_URL || 'http://localhost:3000/mcp';
  const scopes = (env.MCP_SCOPES ?? 'read write').split(/\s+/).filter(Boolean);
  const dataDir = env.DEV_AUTH_DATA_DIR || '.dev-auth';
  const autoApprove = envFlag(env.DEV_AUTH_AUTO_APPROVE);
  const server = await startDevAuthServer({ issuer: env.AUTH_ISSUER || 'http://localhost:3001', resource, scopes, dataDir, autoApprove });
  console.log(`Development authorization server — never use in production
  issuer:       ${server.issuer}
  resource:     ${resource} (scopes: ${scopes.join(' ') || 'none'})
  users:        ${devUsers.map((u) => `${u.id} <${u.email}>`).join(', ')}
  auto-approve: ${autoApprove ? `on (signs in ${devUsers[0]?.id ?? '?'})` : 'off'}
  data:         ${resolve(dataDir)} (delete it to forget keys, clients and sessions)`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    const inUse = (error as { code?: unknown } | null)?.code === 'EADDRINUSE';
    console.error(inUse ? `dev auth server: ${String(error)}; set AUTH_ISSUER to a free port.` : error);
    process.exit(1);
  });
}
