import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, run, runForAnswer, start } from './run.js';

/**
 * End to end, on a real installed project: the BUILT CLI creates it, the user edits a tool and the README and
 * commits, `update --scopes read,write,admin` merges the new scope in without touching the edits, the server
 * advertises the scope, and the project type-checks; then `add tool` adds a tool with a new scope, and the project
 * type-checks and passes its whole test suite, the tool's generated test included. One install for every step.
 */
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), 'create-mcp-auth-server-update-e2e-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
const dir = join(workspace, 'mcp-update');
const git = (...args: string[]) => run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: dir });
const read = (path: string) => readFileSync(join(dir, path), 'utf8');
const timings: Record<string, number> = {};

/** Runs the built CLI in the project: its exit code and output (exit codes 2 and 3 are answers, not failures). */
const cliIn = (args: string[]) => runForAnswer('node', [cli, ...args], { cwd: dir });

async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await step();
  } finally {
    timings[label] = Math.round(performance.now() - started);
  }
}

async function passesItsOwnTests(): Promise<string> {
  await run('npm', ['run', 'typecheck'], { cwd: dir });
  // eslint-disable-next-line no-control-regex -- strip the test runner's colours before reading its summary
  const output = (await run('npm', ['test'], { cwd: dir })).replace(/\x1b\[[0-9;]*m/g, '');
  expect(output).toMatch(/Tests\s+\d+ passed/);
  expect(output).not.toMatch(/failed/);
  return output;
}

describe('update and add tool on a generated project', () => {
  it('is created, installed and committed', async () => {
    await timed('create + install', () => run('node', [cli, dir, '--yes', '--pm', 'npm'], { cwd: workspace }));
    expect(await git('status', '--porcelain')).toBe('');
  });

  it('update --scopes read,write,admin keeps the user’s edits to a tool and the README', async () => {
    writeFileSync(join(dir, 'src/tools/add.ts'), read('src/tools/add.ts').replace("description: 'Adds two numbers.',", "description: 'Adds two numbers (edited by the user).',"));
    writeFileSync(join(dir, 'README.md'), `${read('README.md')}\n## Our deployment notes\n\nDeployed by the user's team.\n`);
    await git('commit', '-qam', 'user edits');

    expect((await cliIn(['update', '--check'])).code).toBe(0);
    expect((await cliIn(['update', '--scopes', 'read,write,admin', '--check'])).code).toBe(2);
    const result = await timed('update', () => cliIn(['update', '--scopes', 'read,write,admin']));
    expect(result, result.output).toMatchObject({ code: 0 });
    expect(result.output).toContain('scopes read,write → read,write,admin');

    expect(read('src/tools/add.ts')).toContain("description: 'Adds two numbers (edited by the user).',");
    expect(read('README.md')).toContain("Deployed by the user's team.");
    expect(read('src/scopes.ts')).toContain('"admin"');
    expect(JSON.parse(read('.mcp-auth-server.json')).answers.scopes).toEqual(['read', 'write', 'admin']);
    await git('add', '-A');
    await git('commit', '-qm', 'update: admin scope');
    expect((await cliIn(['update', '--check'])).code).toBe(0);
  });

  it('serves the new scope in the metadata and the 401 challenge', async () => {
    const [port, authPort] = [await freePort(), await freePort()];
    const mcpUrl = `http://localhost:${port}/mcp`;
    const server = await start('npm', ['run', 'dev'], {
      cwd: dir,
      env: { PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: `http://localhost:${authPort}` },
      ready: /Paste this URL/,
    });
    try {
      const metadata = (await (await fetch(`http://localhost:${port}/.well-known/oauth-protected-resource/mcp`)).json()) as { scopes_supported: string[] };
      expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['read', 'write', 'admin']));
      const challenge = await fetch(mcpUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(challenge.status).toBe(401);
      expect(challenge.headers.get('www-authenticate')).toContain('scope="read write admin"');
    } finally {
      await server.stop();
    }
  });

  it('type-checks after the update', async () => {
    // Its whole test suite runs once, below, on the updated project plus the added tool: one run instead of two
    // keeps this file near a minute of CI time.
    await timed('typecheck after update', () => run('npm', ['run', 'typecheck'], { cwd: dir }));
  });

  it('add tool adds a tool with a new scope; the updated project type-checks and passes all its tests, the new one included', async () => {
    const result = await timed('add tool', () => cliIn(['add', 'tool', 'delete_note', '--scopes', 'notes.delete', '--description', 'Deletes one of your notes.']));
    expect(result, result.output).toMatchObject({ code: 0 });
    expect(read('src/tools/delete-note.ts')).toContain('scopes: ["notes.delete"],');
    expect(read('src/tools/added.ts')).toContain('[deleteNoteTool]');
    const output = await timed('typecheck + tests after add tool', passesItsOwnTests);
    expect(output).toContain('test/tools/delete-note.test.ts');
    expect(output).toContain('test/auth/token-checks.test.ts'); // the 401 challenge, now with admin and notes.delete
    expect(read('src/tools/add.ts')).toContain('(edited by the user)');
    console.log(`update e2e timings (ms): ${JSON.stringify(timings)}`);
  });
});
