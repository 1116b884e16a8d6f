/**
 * The real MCP server in broker mode (this project's framework, config and wiring: src/start.ts), signing users in at
 * the OpenID stand-in (autoLogin: no login page), and an MCP client's side of the flow: registration, the consent
 * page in a fetch-based browser, the code for tokens.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { advertisedScopes } from '../../src/mcp/server.js';
import { pkcePair } from './broker-test-kit.js';
import { onFreePort, startTestServer, type TestServer } from './mcp-server.js';
import { TestBrowser, visibleText } from './test-browser.js';
import { startOidcStandIn, type OidcStandIn } from './upstream-stand-ins.js';

export interface BrokerServer {
  server: TestServer;
  provider: OidcStandIn;
  /** The broker's issuer: the origin of MCP_SERVER_URL. */
  origin: string;
  /** The environment the server was started with (AUTH_BROKER_STATE_FILE in a fresh temporary folder). */
  env: Record<string, string>;
  /** Stops the server and starts it again on the same port and state file, with `changes` to the environment. */
  restart(changes?: Record<string, string>): Promise<TestServer>;
  close(): Promise<void>;
}

export async function startBrokerServer(): Promise<BrokerServer> {
  const stateDir = await mkdtemp(join(tmpdir(), 'broker-state-'));
  const secret = randomBytes(32).toString('base64url');
  let provider: OidcStandIn | undefined;
  let env: Record<string, string> = {};
  const server = await onFreePort(async (port) => {
    const origin = `http://127.0.0.1:${port}`;
    provider = await startOidcStandIn({ clientId: 'broker-app', clientSecret: 'broker-app-secret', redirectUris: [`${origin}/oauth/callback`], autoLogin: 'alice' });
    env = {
      PORT: String(port),
      MCP_SERVER_URL: `${origin}/mcp`,
      AUTH_ISSUER: provider.issuer,
      AUTH_CLIENT_ID: 'broker-app',
      AUTH_CLIENT_SECRET: 'broker-app-secret',
      AUTH_BROKER_SECRET: secret,
      AUTH_BROKER_STATE_FILE: join(stateDir, 'broker-state.json'),
      AUTH_UPSTREAM_SCOPES: 'openid profile email offline_access',
    };
    return startTestServer(env).catch(async (error: unknown) => {
      await provider?.close();
      throw error;
    });
  });
  const running: BrokerServer = {
    server,
    provider: provider!,
    origin: new URL(server.mcpUrl).origin,
    env,
    async restart(changes = {}) {
      await running.server.close();
      running.server = await startTestServer({ ...env, ...changes });
      return running.server;
    },
    async close() {
      await running.server.close();
      await running.provider.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
  return running;
}

/** A loopback redirect URI, as a native MCP client registers; nothing listens there (the browser stops before it). */
export const CLIENT_REDIRECT = 'http://127.0.0.1:8976/callback';

export interface SignedIn {
  clientId: string;
  accessToken: string;
  refreshToken: string;
  browser: TestBrowser;
}

/** Registers a client (RFC 7591), as an MCP client does the first time. */
export async function registerClient(origin: string, name = 'Broker test client'): Promise<string> {
  const response = await fetch(`${origin}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: name, redirect_uris: [CLIENT_REDIRECT], application_type: 'native', token_endpoint_auth_method: 'none' }),
  });
  if (response.status !== 201) throw new Error(`registration refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { client_id: string }).client_id;
}

/** The authorization request of a client (PKCE S256, every scope unless told, the MCP URL as `resource`). */
export function authorizationUrl(origin: string, mcpUrl: string, clientId: string, challenge: string, scopes: readonly string[] = advertisedScopes): URL {
  const url = new URL(`${origin}/oauth/authorize`);
  const params = { response_type: 'code', client_id: clientId, redirect_uri: CLIENT_REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'client-state', scope: scopes.join(' '), resource: mcpUrl };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/** The whole flow: register, authorize, approve on the consent page (the provider signs alice in), redeem the code. */
export async function signIn(origin: string, mcpUrl: string, scopes: readonly string[] = advertisedScopes): Promise<SignedIn> {
  const clientId = await registerClient(origin);
  const browser = new TestBrowser([CLIENT_REDIRECT]);
  const { verifier, challenge } = pkcePair();
  const consent = await browser.open(authorizationUrl(origin, mcpUrl, clientId, challenge, scopes));
  if (consent.kind !== 'page') throw new Error('no consent page');
  const back = await browser.submit(consent, 'approve');
  if (back.kind !== 'client') throw new Error(`no redirect to the client: ${back.status} ${visibleText(back.html)}`);
  const response = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: back.params.get('code') ?? '', redirect_uri: CLIENT_REDIRECT, client_id: clientId, code_verifier: verifier, resource: mcpUrl }),
  });
  if (response.status !== 200) throw new Error(`token request refused: ${response.status} ${await response.text()}`);
  const tokens = (await response.json()) as { access_token: string; refresh_token: string };
  return { clientId, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, browser };
}
