/**
 * `npm run dev` for a broker project, with no account anywhere: a local stand-in for the provider (an OpenID provider
 * without registration and ONE confidential client, or a GitHub-like OAuth 2 server for providers identified by
 * their user API), then the MCP server, whose AUTH_ISSUER / AUTH_CLIENT_ID / AUTH_CLIENT_SECRET (and the endpoint
 * URLs) point at the stand-in for this process only: .env is never written, and `npm start` keeps using it.
 * The stand-ins are the ones the broker's tests sign in at (test/helpers/upstream-stand-ins.ts). Never use in production.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../src/config.js';
import { startMcpServer, type Log, type RunningServer } from '../src/start.js';
import { startGitHubStandIn, startOidcStandIn, standInUsers } from '../test/helpers/upstream-stand-ins.js';

export interface BrokerDevOptions {
  /** The project's environment (.env loaded into it); the overrides below win for this process only. */
  env: NodeJS.ProcessEnv;
  /** Port of the stand-in on 127.0.0.1 (DEV_UPSTREAM_PORT, default 3001); 0 picks a free one (tests). */
  upstreamPort: number;
  log?: Log;
}

export interface BrokerDev {
  /** Where the stand-in listens, and who can sign in there (password = the user name). */
  upstream: { kind: 'oidc' | 'oauth2'; origin: string; users: readonly string[] };
  config: Config;
  server: RunningServer;
  close(): Promise<void>;
}

/** The development client at the stand-in: a fresh secret on every start is fine, nothing outlives the process. */
const DEV_CLIENT_ID = 'mcp-server-dev';
/** Placeholders that satisfy the config's checks before the stand-in's real URLs are known. */
const PLACEHOLDER = 'http://127.0.0.1:1';
/** What a plain OAuth 2 project (`--provider oauth`) asks for when its .env names no scope: the stand-in needs none, one keeps the flow ordinary. */
const DEFAULT_OAUTH2_SCOPE = 'read:user';
/**
 * The dev broker keeps its own state (DEV_BROKER_STATE_FILE), never the real provider's: grants of stand-in users must
 * not outlive `npm run dev`, and REDIS_URL is ignored for the same reason.
 */
const DEV_STATE_FILE = '.data/broker-dev-state.json';

/** The variables that point the broker at the stand-in (the rest of the environment is the project's own). */
function overridesFor(kind: 'oidc' | 'oauth2', origin: string, clientSecret: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const common = { AUTH_CLIENT_ID: DEV_CLIENT_ID, AUTH_CLIENT_SECRET: clientSecret, AUTH_BROKER_STATE_FILE: env['DEV_BROKER_STATE_FILE'] || DEV_STATE_FILE, REDIS_URL: '' };
  if (kind === 'oidc') return { ...common, AUTH_ISSUER: origin, AUTH_UPSTREAM_PROFILE_URL: `${origin}/me` };
  return {
    ...common,
    AUTH_ISSUER: origin,
    AUTH_AUTHORIZATION_URL: `${origin}/login/oauth/authorize`,
    AUTH_TOKEN_URL: `${origin}/login/oauth/access_token`,
    AUTH_USERINFO_URL: `${origin}/user`,
    AUTH_UPSTREAM_PROFILE_URL: `${origin}/user`,
    // The stand-in's users have GitHub's shape: the stable id is `id`.
    AUTH_USER_ID_FIELD: 'id',
    AUTH_UPSTREAM_SCOPES: env['AUTH_UPSTREAM_SCOPES'] || DEFAULT_OAUTH2_SCOPE,
  };
}

export async function startBrokerDev(o: BrokerDevOptions): Promise<BrokerDev> {
  const clientSecret = randomBytes(32).toString('base64url');
  // 1. The project's configuration with placeholders: which kind of provider, and the callback URL to allow.
  const draft = loadConfig({ ...o.env, ...overridesFor('oauth2', PLACEHOLDER, clientSecret, o.env) });
  const kind = draft.broker.upstream.kind;
  const callbackUrl = new URL('/oauth/callback', draft.mcpServerUrl).href;

  // 2. The stand-in, with the one client whose redirect URI is the broker's callback.
  const client = { clientId: DEV_CLIENT_ID, clientSecret, redirectUris: [callbackUrl], port: o.upstreamPort };
  const users = standInUsers.map((user) => user.id);
  const upstream =
    kind === 'oidc'
      ? await startOidcStandIn(client).then((s) => ({ origin: s.issuer, close: () => s.close() }))
      : await startGitHubStandIn({ ...client, users: standInUsers.map((user, index) => ({ id: 1001 + index, login: user.id, name: user.name, email: user.email })) }).then((s) => ({ origin: new URL(s.tokenUrl).origin, close: () => s.close() }));

  // 3. The MCP server, its broker pointed at the stand-in.
  try {
    const config = loadConfig({ ...o.env, ...overridesFor(kind, upstream.origin, clientSecret, o.env) });
    const server = await startMcpServer(config, o.log);
    return { upstream: { kind, origin: upstream.origin, users }, config, server, close: () => Promise.allSettled([server.close(), upstream.close()]).then(() => undefined) };
  } catch (error) {
    await upstream.close();
    throw error;
  }
}
