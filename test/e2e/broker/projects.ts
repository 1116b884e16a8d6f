import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOnce, cacheRoot, contentKey, scratchDir } from '../conformance/shared-cache.js';
import { freePort, run, start, type Background } from '../run.js';
import { standInsOf } from './stand-ins.js';

/**
 * The broker e2e's generated projects: created by the built CLI with the flags a user types, installed from the
 * registry with npm and built (`npm run build`, what `npm start` runs first), once per content of the CLI and the
 * templates, in the e2e's shared cache. The placeholder issuer is replaced at start by the live stand-in's, through
 * the environment (which wins over .env, as the generated .env says): the stand-ins listen on a new port each run.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(repoRoot, 'dist/cli.js');

export const BROKER_PROJECTS = {
  'oidc-express': ['--provider', 'oidc', '--issuer', 'http://127.0.0.1:9', '--broker', '--framework', 'express'],
  'github-hono': ['--provider', 'github', '--framework', 'hono'],
} as const;
export type BrokerProject = keyof typeof BROKER_PROJECTS;

export function brokerProject(name: BrokerProject): Promise<string> {
  const dir = join(cacheRoot, 'projects', `broker-${name}-${contentKey(cli, join(repoRoot, 'templates'))}`);
  return buildOnce(dir, async (dir) => {
    const target = join(dir, 'app');
    await run('node', [cli, target, '--yes', '--pm', 'npm', '--no-install', '--no-git', ...BROKER_PROJECTS[name]], { cwd: dir });
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: target });
    await run('npm', ['run', 'build'], { cwd: target });
  }).then((dir) => join(dir, 'app'));
}

export interface StartedServer {
  mcpUrl: string;
  origin: string;
  server: Background;
  stop(): Promise<void>;
}

/**
 * `node dist/main.js` (what `npm start` runs after its build) on a loopback MCP URL: development mode, in which the
 * broker accepts loopback http redirect URIs and CIMD hosts on loopback addresses. The broker's state goes to a
 * scratch file, never into the shared project.
 */
export async function startBrokerServer(project: string, port: number, env: Record<string, string>): Promise<StartedServer> {
  const origin = `http://127.0.0.1:${port}`;
  const mcpUrl = `${origin}/mcp`;
  const state = scratchDir('broker-state');
  const server = await start('node', ['--enable-source-maps', 'dist/main.js'], {
    cwd: project,
    env: { PORT: String(port), HOST: '127.0.0.1', MCP_SERVER_URL: mcpUrl, AUTH_BROKER_STATE_FILE: join(state, 'broker-state.json'), ...env },
    ready: /Callback URL to register at the provider/,
    timeoutMs: 30_000,
  });
  return { mcpUrl, origin, server, stop: () => server.stop() };
}

/**
 * The provider's stand-in for `name` (its one confidential app registered with the broker's callback URL) and the
 * project's server signing users in there: AUTH_ISSUER for the OpenID provider (discovery), the three endpoints
 * and the profile URL for the GitHub-like one. `stop` stops both.
 */
export async function startBrokerStack(name: BrokerProject, project: string, app: { clientId: string; clientSecret: string }, env: Record<string, string>): Promise<StartedServer> {
  const port = await freePort();
  const standIns = await standInsOf(project);
  const registered = { ...app, redirectUris: [`http://127.0.0.1:${port}/oauth/callback`] };
  let upstream: Record<string, string>;
  let standIn: { close(): Promise<void> };
  if (name === 'oidc-express') {
    const oidc = await standIns.startOidcStandIn(registered);
    [standIn, upstream] = [oidc, { AUTH_ISSUER: oidc.issuer }];
  } else {
    const github = await standIns.startGitHubStandIn(registered);
    [standIn, upstream] = [github, { AUTH_AUTHORIZATION_URL: github.authorizationUrl, AUTH_TOKEN_URL: github.tokenUrl, AUTH_USERINFO_URL: github.userUrl, AUTH_UPSTREAM_PROFILE_URL: github.userUrl }];
  }
  const credentials = { AUTH_CLIENT_ID: app.clientId, AUTH_CLIENT_SECRET: app.clientSecret };
  const started = await startBrokerServer(project, port, { ...upstream, ...credentials, ...env }).catch(async (error: unknown) => {
    await standIn.close();
    throw error;
  });
  return { ...started, stop: () => Promise.all([started.stop(), standIn.close()]).then(() => undefined) };
}
