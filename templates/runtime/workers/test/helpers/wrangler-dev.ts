import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onFreePort } from './mcp-server.js';

/** wrangler's own `engines` (package.json `engines` says the same): older Nodes are refused by wrangler itself. */
const WRANGLER_NODE_MAJOR = 22;
const WRANGLER_NODE_MINOR = 12;

const atLeast = (version: string) => {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > WRANGLER_NODE_MAJOR || (major === WRANGLER_NODE_MAJOR && minor >= WRANGLER_NODE_MINOR);
};

/**
 * The Node that runs wrangler: this one when it is 22.12+, else WRANGLER_NODE (the path of a Node 22 binary, for a
 * test run on an older Node). Without either the Worker's tests fail, saying what to install.
 */
export function wranglerNode(): string {
  if (atLeast(process.versions.node)) return process.execPath;
  const given = process.env['WRANGLER_NODE'];
  if (given) return given;
  throw new Error(
    `wrangler needs Node ${WRANGLER_NODE_MAJOR}.${WRANGLER_NODE_MINOR} or later and this is Node ${process.versions.node}: ` +
      `run the tests with Node 22 (this project's engines), or set WRANGLER_NODE to the path of a Node 22 binary ` +
      `(e.g. WRANGLER_NODE="$(npx -y -p node@22 -- node -p process.execPath)").`,
  );
}

export interface WranglerDev {
  /** The MCP_SERVER_URL the Worker was given: the one in `vars`, else http://localhost:<port>/mcp. */
  mcpUrl: string;
  /** Where wrangler dev listens (127.0.0.1). */
  url: string;
  /** What wrangler and workerd printed so far (the Worker's console output included). */
  output(): string;
  close(): Promise<void>;
}

/**
 * Runs this project's Worker under `wrangler dev` (workerd, locally, no Cloudflare account) on `options.port` or a
 * free port of 127.0.0.1 with the given configuration, and resolves once it answers /healthz. The configuration is handed over as
 * an env file, so neither the project's .dev.vars nor the vars of wrangler.jsonc (the defaults) leak in; state and
 * logs go to a temporary folder, or the state (Durable Objects' storage) to `options.persistTo`, kept after `close()`
 * for the next `wrangler dev` to find. `close()` stops wrangler and its workerd (their own process group).
 */
export async function startWranglerDev(vars: Record<string, string>, options: { port?: number; readyMs?: number; persistTo?: string } = {}): Promise<WranglerDev> {
  const node = wranglerNode();
  const wrangler = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin', 'wrangler.js');
  const onPort = options.port === undefined ? onFreePort : <T>(start: (port: number) => Promise<T>) => start(options.port!);
  return onPort(async (port) => {
    const inspectorPort = await onFreePort(async (free) => free);
    const work = mkdtempSync(join(tmpdir(), 'wrangler-dev-'));
    const mcpUrl = vars['MCP_SERVER_URL'] ?? `http://localhost:${port}/mcp`;
    const envFile = join(work, 'worker.env');
    writeFileSync(envFile, Object.entries({ MCP_SERVER_URL: mcpUrl, ...vars }).map(([name, value]) => `${name}=${JSON.stringify(value)}\n`).join(''));
    const args = [wrangler, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--env-file', envFile, '--persist-to', options.persistTo ?? join(work, 'state'), '--show-interactive-dev-session=false'];
    const child = spawn(node, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG_PATH: join(work, 'logs'), NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    const close = async () => {
      await stop(child);
      rmSync(work, { recursive: true, force: true });
    };
    try {
      await waitUntilReady(`${url}/healthz`, child, () => output, options.readyMs ?? 60_000);
    } catch (error) {
      await close();
      // A port taken meanwhile: onFreePort tries another one.
      if (/EADDRINUSE|address already in use/i.test(output)) throw Object.assign(new Error(output), { code: 'EADDRINUSE' });
      throw error;
    }
    return { mcpUrl, url, output: () => output, close };
  });
}

async function waitUntilReady(healthz: string, child: ChildProcess, output: () => string, readyMs: number): Promise<void> {
  const deadline = Date.now() + readyMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    const ok = await fetch(healthz).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer ${healthz} within ${readyMs} ms:\n${output()}`);
}

/** SIGTERM to wrangler's process group (wrangler, esbuild, workerd), SIGKILL after 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // workerd may outlive wrangler by a moment: the group gets a last SIGKILL.
  signal('SIGKILL');
}
