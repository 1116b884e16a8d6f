import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

/**
 * `--framework hono --runtime workers` end to end: the BUILT CLI writes the project, and under Node 22 from the
 * registry (`npx -p node@22`: wrangler needs Node 22.12+, the project's `engines`) it is installed for real
 * (wrangler, workerd), type-checked, and passes its own tests, which include test/runtime/workers.test.ts: the
 * Worker on real workerd under `wrangler dev`, token refusals and the full OAuth flow. npx puts node@22 first on
 * PATH, so npm, vitest and the wrangler that the tests spawn all run on it.
 *
 * CI runs each project's Worker tests (test/runtime/, and the Durable Object store's) and its type-check: the rest of
 * its suite is the same code as a Node project's, run on Node by create.test.ts and presets.test.ts. RUNTIMES_E2E_FULL=1
 * runs each project's whole `npm test` (the documented full run, ~4 minutes more).
 */
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), 'create-mcp-auth-server-workers-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
const onNode22 = (args: string[]) => ['-y', '-p', 'node@22', '--', ...args];
// eslint-disable-next-line no-control-regex -- strip the test runner's colours before reading its summary
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
const FULL = process.env['RUNTIMES_E2E_FULL'] === '1';
/** `npm test`, or in CI only the test files that run on workerd or concern it. */
const testArgs = (files: string[]) => (FULL ? ['npm', 'test'] : ['npm', 'test', '--', ...files]);

describe('a generated Hono project for Cloudflare Workers', () => {
  const dir = join(workspace, 'mcp-workers');

  it('is written by the CLI and installed on Node 22, workerd included', async () => {
    const output = await run('node', [cli, dir, '--yes', '--framework', 'hono', '--runtime', 'workers', '--pm', 'npm', '--no-install'], { cwd: workspace });
    expect(output).toContain('npm run deploy for production');
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['wrangler.jsonc', '.dev.vars']));
    expect(readdirSync(dir)).not.toContain('Dockerfile');
    await run('npx', onNode22(['npm', 'install', '--no-audit', '--no-fund']), { cwd: dir, timeoutMs: 480_000 });
    expect(await run('npx', onNode22(['npx', 'wrangler', '--version']), { cwd: dir, env: { WRANGLER_SEND_METRICS: 'false' } })).toMatch(/\d+\.\d+\.\d+/);
  });

  it('type-checks, and wrangler bundles the Worker without a Node HTTP server in it', async () => {
    await run('npx', onNode22(['npm', 'run', 'typecheck']), { cwd: dir });
    const out = join(workspace, 'bundle');
    await run('npx', onNode22(['npx', 'wrangler', 'deploy', '--dry-run', '--outdir', out]), { cwd: dir, env: { WRANGLER_SEND_METRICS: 'false' } });
    const bundle = readFileSync(join(out, 'worker.js'), 'utf8');
    const nodeImports = [...new Set([...bundle.matchAll(/from "(node:[a-z_/]+)"/g)].map((match) => match[1]))].sort();
    expect(nodeImports).toEqual(['node:crypto', 'node:fs', 'node:util']);
    expect(bundle).not.toContain('@hono/node-server');
  });

  it(`passes ${FULL ? 'its own tests' : 'its Worker tests'}, on workerd under wrangler dev`, async () => {
    const output = plain(await run('npx', onNode22(testArgs(['test/runtime'])), { cwd: dir, timeoutMs: 480_000 }));
    expect(output).toMatch(/test\/runtime\/workers\.test\.ts/);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
    console.log(`workers project on Node 22: ${/Tests\s+(\d+ passed[^\n]*)/.exec(output)?.[1]}`);
  });
});

/**
 * Broker mode on Workers (`--provider github`): the broker's state in the BrokerState Durable Object. The project's
 * own tests run the Worker on workerd and sign in through the provider's stand-in: registration, consent, the code
 * for tokens, refresh rotation with reuse detection, one code redeemed by two requests at once, state across a
 * restart of `wrangler dev`.
 */
describe('a generated GitHub broker project for Cloudflare Workers', () => {
  const dir = join(workspace, 'mcp-workers-broker');

  it('is written by the CLI with the secrets in .dev.vars, and installed on Node 22', async () => {
    const output = await run('node', [cli, dir, '--yes', '--provider', 'github', '--framework', 'hono', '--runtime', 'workers', '--pm', 'npm', '--no-install'], { cwd: workspace });
    expect(output).toContain('npm run deploy for production');
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['wrangler.jsonc', '.dev.vars']));
    expect(readdirSync(dir)).not.toContain('.env');
    expect(readFileSync(join(dir, '.dev.vars'), 'utf8')).toMatch(/\nAUTH_BROKER_SECRET=[A-Za-z0-9_-]{43}\n/);
    expect(readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')).toContain('"new_sqlite_classes": ["BrokerState"]');
    await run('npx', onNode22(['npm', 'install', '--no-audit', '--no-fund']), { cwd: dir, timeoutMs: 480_000 });
  });

  it('type-checks, and wrangler bundles the Worker with its Durable Object class', async () => {
    await run('npx', onNode22(['npm', 'run', 'typecheck']), { cwd: dir });
    const out = join(workspace, 'bundle-broker');
    const dryRun = await run('npx', onNode22(['npx', 'wrangler', 'deploy', '--dry-run', '--outdir', out]), { cwd: dir, env: { WRANGLER_SEND_METRICS: 'false' } });
    expect(dryRun).toMatch(/env\.BROKER_STATE \(BrokerState\)\s+Durable Object/);
    const bundle = readFileSync(join(out, 'worker.js'), 'utf8');
    expect(bundle).toContain('BrokerState = class extends DurableObject');
    expect(bundle).not.toContain('@hono/node-server');
  });

  it(`passes ${FULL ? 'its own tests' : 'its Worker and Durable Object store tests'}, the broker on workerd under wrangler dev`, async () => {
    const output = plain(await run('npx', onNode22(testArgs(['test/runtime', 'test/broker/durable-object-store.test.ts'])), { cwd: dir, timeoutMs: 600_000 }));
    expect(output).toMatch(/test\/runtime\/workers\.test\.ts/);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
    console.log(`workers broker project on Node 22: ${/Tests\s+(\d+ passed[^\n]*)/.exec(output)?.[1]}`);
  });
});
