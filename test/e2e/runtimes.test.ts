import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, run, start } from './run.js';

/**
 * Bun and Deno end to end (Workers: runtime-workers.test.ts): the BUILT CLI writes and installs a project for the
 * runtime, it type-checks and passes its own tests (on Node, plus test/runtime/ against `start` on the runtime),
 * `dev` boots on the runtime with the development authorization server and the MCP SDK client completes the OAuth
 * flow, and `start` serves on the runtime. Bun and Deno come from npm (`.ci/run` installs them when missing).
 *
 * CI runs each project's runtime test (test/runtime/: the server on Bun or Deno) and its type-check: the rest of its
 * suite runs the same app on Node, as create.test.ts and presets.test.ts do for Node projects. RUNTIMES_E2E_FULL=1 runs
 * each project's whole `npm test` (the documented full run, ~3 minutes more).
 */
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), 'create-mcp-auth-server-runtimes-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const FULL = process.env['RUNTIMES_E2E_FULL'] === '1';

const combinations = [
  { framework: 'hono', runtime: 'bun', transport: 'stateless', provider: 'local' },
  { framework: 'express', runtime: 'bun', transport: 'stateful', provider: 'local' },
  { framework: 'hono', runtime: 'deno', transport: 'stateless', provider: 'local' },
  // The broker on Deno: its state file needs the one write permission `start` grants (.data/).
  { framework: 'hono', runtime: 'deno', transport: 'stateless', provider: 'github' },
] as const;

/** The executables of the processes running in `dir` (Linux /proc): which runtime `npm run …` ended up in. */
function executablesIn(dir: string): string[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((pid) => {
    try {
      if (realpathSync(`/proc/${pid}/cwd`) !== realpathSync(dir)) return [];
      return [basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '')];
    } catch {
      return []; // gone meanwhile, or not ours to read
    }
  });
}

describe.each(combinations)('a generated $framework project for $provider on $runtime ($transport)', ({ framework, runtime, transport, provider }) => {
  const dir = join(workspace, `mcp-${framework}-${runtime}-${provider}`);
  const broker = provider === 'github';

  it('is written and installed by the CLI, with the runtime recorded', async () => {
    await run('node', [cli, dir, '--yes', '--no-git', '--provider', provider, '--framework', framework, '--transport', transport, '--runtime', runtime, '--pm', 'npm'], { cwd: workspace });
    const answers = JSON.parse(readFileSync(join(dir, '.mcp-auth-server.json'), 'utf8')) as { answers: Record<string, unknown> };
    expect(answers.answers).toMatchObject({ framework, transport, runtime });
    const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start']).toMatch(new RegExp(`^${runtime} `));
  });

  it(`type-checks and passes ${FULL ? 'its own tests, the runtime test included' : 'its runtime test'}`, async () => {
    await run('npm', ['run', 'typecheck'], { cwd: dir });
    // eslint-disable-next-line no-control-regex -- strip the test runner's colours before reading its summary
    const output = (await run('npm', FULL ? ['test'] : ['test', '--', 'test/runtime'], { cwd: dir })).replace(/\x1b\[[0-9;]*m/g, '');
    expect(output).toMatch(broker ? /✓ test\/runtime\/runtime\.test\.ts \(5 tests\)/ : /✓ test\/runtime\/runtime\.test\.ts \(7 tests\)/);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/i);
  });

  // The broker's sign-in through its stand-in is the project's own runtime test (above); here: the resource server's.
  it.runIf(!broker)(`boots with \`dev\` on ${runtime} and completes the OAuth flow with the MCP SDK client`, async () => {
    const [port, authPort] = [await freePort(), await freePort()];
    const mcpUrl = `http://localhost:${port}/mcp`;
    const server = await start('npm', ['run', 'dev'], {
      cwd: dir,
      env: { PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: `http://localhost:${authPort}`, DEV_AUTH_AUTO_APPROVE: '1' },
      ready: /Paste this URL/,
      timeoutMs: 120_000,
    });
    try {
      const challenge = await fetch(mcpUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(challenge.status).toBe(401);
      expect(challenge.headers.get('www-authenticate')).toContain(`resource_metadata="http://localhost:${port}/.well-known/oauth-protected-resource/mcp"`);
      const { connectWithOAuth } = (await import(pathToFileURL(join(dir, 'test/helpers/oauth-browser.ts')).href)) as typeof import('./oauth-browser-types.js');
      const { client, close } = await connectWithOAuth(mcpUrl);
      try {
        const whoami = await client.callTool({ name: 'whoami', arguments: {} });
        expect(JSON.parse((whoami.content as { text: string }[])[0]!.text)).toMatchObject({ scopes: ['read', 'write'] });
        const add = await client.callTool({ name: 'add', arguments: { a: 20, b: 22 } });
        expect(JSON.stringify(add.content)).toContain('42');
      } finally {
        await close();
      }
      // `dev` runs on the runtime itself (`bun --watch …`, `deno run --watch …`), not on Node.
      expect(executablesIn(dir)).toContain(runtime);
    } finally {
      await server.stop();
    }
  });

  it(`serves with \`start\` on ${runtime}, without the development server`, async () => {
    const port = await freePort();
    const server = await start('npm', ['start'], {
      cwd: dir,
      env: { PORT: String(port), AUTH_ISSUER: 'http://localhost:1', ...(broker ? { AUTH_CLIENT_ID: 'app', AUTH_CLIENT_SECRET: 'secret' } : {}) },
      ready: /unreachable for now/,
      timeoutMs: 120_000,
    });
    try {
      expect(server.output()).toContain(`MCP URL for clients: http://localhost:${port}/mcp`);
      expect((await fetch(`http://localhost:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://localhost:${port}/mcp`, { method: 'POST' })).status).toBe(401);
      expect(executablesIn(dir)).toContain(runtime);
    } finally {
      await server.stop();
    }
  });
});
