import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOnce, cacheRoot, contentKey, scratchDir } from '../conformance/shared-cache.js';
import { start, type Background } from '../run.js';
import { run } from '../run.js';

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
