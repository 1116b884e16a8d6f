/**
 * A broker for tests: createBroker behind a node:http server on 127.0.0.1:0, signing users in at the OpenID
 * stand-in (autoLogin, no page), with a clock the test moves. `TestBrowser` is a fetch-based browser with a cookie
 * jar that follows redirects and clicks what a person clicks on the consent page; `pkcePair`, `register` and
 * `redeem` are what an MCP client does around it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createBroker, type Broker } from '../../src/broker/index.js';
import type { BrokerStore, Upstream } from '../../src/broker/contracts.js';
import { startOidcStandIn, type OidcStandIn } from './upstream-stand-ins.js';

export interface BrokerKit {
  /** The broker's issuer (http://127.0.0.1:<port>). */
  origin: string;
  /** MCP_SERVER_URL: the resource. */
  resource: URL;
  broker: Broker;
  provider: OidcStandIn;
  /** Serves a JSON document at `origin + path` (CIMD documents). */
  serve(path: string, body: unknown): string;
  /** Moves the broker's clock forward. */
  advance(seconds: number): void;
  logs: string[];
  close(): Promise<void>;
}

export interface BrokerKitOptions {
  /** Wraps the real upstream (to make it fail in chosen ways). */
  wrapUpstream?: (upstream: Upstream) => Upstream;
  /** The broker's store (default: the file store in memory). */
  store?: BrokerStore;
}

export const SCOPES = ['read', 'write'] as const;

export async function startBrokerKit(options: BrokerKitOptions = {}): Promise<BrokerKit> {
  const documents = new Map<string, string>();
  let handle: (request: Request) => Promise<Response | undefined> = async () => undefined;
  const server = createServer((req, res) => void answer(req, res).catch(() => res.writeHead(500).end()));
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const document = documents.get(url.pathname);
    if (document !== undefined) return void res.writeHead(200, { 'content-type': 'application/json' }).end(document);
    const response = await handle(toRequest(req, url));
    if (!response) return void res.writeHead(404).end();
    const headers: Record<string, string | string[]> = Object.fromEntries(response.headers);
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) headers['set-cookie'] = cookies;
    res.writeHead(response.status, headers).end(Buffer.from(await response.arrayBuffer()));
  }
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const resource = new URL(`${origin}/mcp`);
  const provider = await startOidcStandIn({ clientId: 'broker-app', clientSecret: 'broker-app-secret', redirectUris: [`${origin}/oauth/callback`], autoLogin: 'alice' });
  let offset = 0;
  const logs: string[] = [];
  const broker = await createBroker({
    resource,
    scopes: SCOPES,
    config: {
      secret: randomBytes(32).toString('base64url'),
      upstream: { kind: 'oidc', issuer: provider.issuer, clientId: 'broker-app', clientSecret: 'broker-app-secret', scopes: ['openid', 'profile', 'email', 'offline_access'] },
      accessTokenSeconds: 300,
      refreshTokenSeconds: 86_400,
    },
    log: (message, error) => logs.push(error === undefined ? message : `${message}: ${String(error)}`),
    now: () => Math.floor(Date.now() / 1000) + offset,
    ...(options.store ? { store: options.store } : {}),
    ...(options.wrapUpstream ? { upstream: await wrappedUpstream(provider, origin, options.wrapUpstream) } : {}),
  });
  handle = (request) => broker.handle(request);
  return {
    origin,
    resource,
    broker,
    provider,
    logs,
    serve(path, body) {
      documents.set(path, JSON.stringify(body));
      return `${origin}${path}`;
    },
    advance: (seconds) => void (offset += seconds),
    async close() {
      await broker.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await provider.close();
    },
  };
}

async function wrappedUpstream(provider: OidcStandIn, origin: string, wrap: (upstream: Upstream) => Upstream): Promise<Upstream> {
  const { createUpstream } = await import('../../src/broker/upstream/index.js');
  const real = createUpstream(
    { kind: 'oidc', issuer: provider.issuer, clientId: 'broker-app', clientSecret: 'broker-app-secret', scopes: ['openid', 'profile', 'email', 'offline_access'] },
    { callbackUrl: `${origin}/oauth/callback`, now: () => Math.floor(Date.now() / 1000) },
  );
  return wrap(real);
}

function toRequest(req: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

/** A PKCE verifier and its S256 challenge, as a client makes them. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Registers a client (RFC 7591) and returns the response body. */
export async function register(kit: BrokerKit, metadata: Record<string, unknown>): Promise<{ client_id: string; client_secret?: string }> {
  const res = await fetch(`${kit.origin}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) });
  if (res.status !== 201) throw new Error(`registration refused: ${res.status} ${await res.text()}`);
  return (await res.json()) as { client_id: string; client_secret?: string };
}

/** POST /oauth/token (or another form endpoint) with a form body. */
export async function postForm(kit: BrokerKit, path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${kit.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });
}

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  challenge?: string;
  method?: string;
  state?: string;
  scope?: string;
  resource?: string;
  extra?: Record<string, string>;
}

/** The authorization URL a client sends the browser to; fields set to '' are left out. */
export function authorizeUrl(kit: BrokerKit, p: AuthorizeParams): URL {
  const url = new URL(`${kit.origin}/oauth/authorize`);
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    code_challenge: p.challenge,
    code_challenge_method: p.method ?? 'S256',
    state: p.state ?? 'client-state-1',
    scope: p.scope,
    resource: p.resource ?? kit.resource.href,
    ...p.extra,
  };
  for (const [name, value] of Object.entries(params)) if (value) url.searchParams.set(name, value);
  return url;
}

export { TestBrowser, type BrowserStep } from './test-browser.js';
