/**
 * Embedded DEVELOPMENT OAuth 2.1 authorization server (oidc-provider). Never use it in production.
 *
 * Open dynamic client registration, authorization code + PKCE S256, RFC 8707 resource indicators:
 * ES256-signed JWT access tokens (`typ: at+jwt`) whose `aud` is the MCP server URL, refresh tokens for
 * clients registered with the refresh_token grant. Sign-in is a one-click list of development users; each client
 * an account has not approved yet (and a loopback client every time) gets a consent page naming it and the host its
 * redirect URI sends the code to.
 * `npm run dev` starts it with the MCP server (start.ts); `tsx dev/run-auth-server.ts` starts it alone. Its
 * oidc-provider configuration is provider-config.ts.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DevStore, ensureDataDir } from './file-adapter.js';
import { createInteractionHandler } from './interactions.js';
import { loadCookieKeys, loadSigningKeys } from './keys.js';
import type { DevUser } from './login-page.js';
import { providerConfiguration } from './provider-config.js';

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

export const devUsers: readonly DevUser[] = Object.freeze([
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
  const config = providerConfiguration({
    resource,
    scopes,
    accessTokenTtl,
    users: devUsers,
    jwks,
    cookieKeys,
    adapter: store.adapterFor,
    InvalidTarget: errors.InvalidTarget,
  });


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
