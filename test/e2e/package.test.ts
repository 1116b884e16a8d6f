import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

/**
 * What `npm create mcp-auth-server` downloads: the packed package, installed like npm installs it, with nothing of
 * this repository beside it. It must carry everything it needs (dist/ only: templates are compiled into the bundle)
 * and nothing it should not (sources, tests, the templates folder, maps).
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'create-mcp-auth-server-package-'));
let bin: string;
let packed: string[];

beforeAll(async () => {
  const out = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo });
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
  packed = info.files.map((file) => file.path).sort();
  const app = join(work, 'installed');
  // No dependencies to fetch: the install is offline and only unpacks the tarball.
  await run('npm', ['install', '--prefix', app, '--offline', '--no-audit', '--no-fund', join(work, info.filename)], { cwd: work });
  bin = join(app, 'node_modules', '.bin', 'create-mcp-auth-server');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package', () => {
  it('ships the bundles and nothing else', () => {
    expect(packed).toContain('dist/cli.js');
    expect(packed).toContain('dist/create.js');
    expect(packed.filter((path) => !/^dist\/[a-z-]+\.js$/.test(path) && !['package.json', 'README.md', 'LICENSE'].includes(path))).toEqual([]);
  });

  it('has no runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['dependencies']).toBeUndefined();
  });

  it('creates a project from its installed bin, far from this repository', async () => {
    const out = await run(bin, ['made-from-tarball', '--yes', '--no-install', '--no-git', '--framework', 'hono'], { cwd: work });
    expect(out).toMatch(/Created made-from-tarball \(\d+ files, hono, provider local\)/);
    const project = join(work, 'made-from-tarball');
    expect(existsSync(join(project, 'src', 'auth', 'token-verifier.ts'))).toBe(true);
    expect(readdirSync(join(project, 'src', 'http'))).toContain('app.ts');
    expect(JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'))).toMatchObject({ name: 'made-from-tarball' });
    expect(await run(bin, ['--version'], { cwd: work })).toBe(`${(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });
});
