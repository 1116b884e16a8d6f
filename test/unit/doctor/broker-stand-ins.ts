/**
 * Local stand-ins for a broker project's doctor tests, on 127.0.0.1:0: a real OpenID provider (oidc-provider, no
 * registration, ONE confidential client), a GitHub-like token endpoint (errors answered with HTTP 200, as GitHub
 * does), and a running broker's two metadata documents.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The part of oidc-provider these tests use (the generator has no @types/oidc-provider). */
interface OidcProviderModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => { callback(): (req: IncomingMessage, res: ServerResponse) => void };
}

export interface StandIn {
  url: string;
  close(): Promise<void>;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, url: string) => void): Promise<StandIn> {
  let url = '';
  const server: Server = createServer((req, res) => handler(req, res, url));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** oidc-provider on Node 20 warns "Unsupported runtime" on import; it works. */
async function importOidcProvider(): Promise<OidcProviderModule> {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return (await import('oidc-provider' as string)) as OidcProviderModule;
  } finally {
    console.warn = warn;
  }
}

export async function startOidcProvider(client: { clientId: string; clientSecret: string; redirectUri: string }): Promise<StandIn> {
  const { default: Provider } = await importOidcProvider();
  let callback: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const standIn = await serve((req, res) => (callback ? callback(req, res) : res.writeHead(503).end()));
  const provider = new Provider(standIn.url, {
    clients: [{ client_id: client.clientId, client_secret: client.clientSecret, redirect_uris: [client.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    features: { devInteractions: { enabled: false }, registration: { enabled: false } },
    pkce: { required: () => true },
  });
  callback = provider.callback();
  return standIn;
}

/** GitHub's token endpoint: HTTP 200 whatever happens, the error in the body. */
export function startGitHubLike(client: { clientId: string; clientSecret: string }): Promise<StandIn> {
  return serve((req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/login/oauth/authorize') return json(200, {});
    if (req.url === '/user') return json(401, { message: 'Requires authentication' });
    if (req.url !== '/login/oauth/access_token' || req.method !== 'POST') return json(404, { message: 'Not Found' });
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      if (form.get('client_id') !== client.clientId || form.get('client_secret') !== client.clientSecret) {
        return json(200, { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
      }
      json(200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
    });
  });
}

/** A running broker's metadata: `issuer` and `authorization_servers` as given (to test both right and wrong). */
export function startRunningBroker(names: (origin: string) => { issuer: string; authorizationServer: string }): Promise<StandIn> {
  return serve((req, res, origin) => {
    const { issuer, authorizationServer } = names(origin);
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/oauth-authorization-server') return json({ issuer, authorization_endpoint: `${origin}/oauth/authorize`, registration_endpoint: `${origin}/oauth/register` });
    if (req.url === '/.well-known/oauth-protected-resource/mcp') return json({ resource: `${origin}/mcp`, authorization_servers: [authorizationServer] });
    res.writeHead(404).end();
  });
}
