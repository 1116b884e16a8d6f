import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run, runForAnswer } from './run.js';

/**
 * The token format and the metadata shim as answers, on real installed projects through the BUILT CLI: a keycloak
 * project created with `--token-format opaque` type-checks and passes its whole suite (introspection tests
 * included); a keycloak JWT project is updated to opaque and back; a generic oidc project with `--metadata-shim`
 * passes the shim's tests. One install, shared through a node_modules symlink (the projects have the same
 * dependencies: neither layer adds one).
 */
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), 'create-mcp-auth-server-token-format-e2e-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const KEYCLOAK = ['--provider', 'keycloak', '--keycloak-url', 'https://kc.example.com', '--keycloak-realm', 'mcp'];
const INTROSPECTION_FILES = ['src/auth/introspection-verifier.ts', 'src/auth/call-limiter.ts', 'test/auth/introspection.test.ts'];
const opaqueDir = join(workspace, 'kc-opaque');
const switchedDir = join(workspace, 'kc-switched');
const shimDir = join(workspace, 'oidc-shim');

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const git = (dir: string, ...args: string[]) => run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: dir });
const create = (dir: string, flags: string[]) => run('node', [cli, dir, '--yes', '--pm', 'npm', ...flags], { cwd: workspace });
const shareInstall = (dir: string) => symlinkSync(join(opaqueDir, 'node_modules'), join(dir, 'node_modules'), 'dir');

/** Runs the project's own tests (all, or the files given) and returns the summary, colours stripped. */
async function passesTests(dir: string, files: string[] = []): Promise<string> {
  await run(join(dir, 'node_modules', '.bin', 'tsc'), ['--noEmit'], { cwd: dir });
  // eslint-disable-next-line no-control-regex -- strip the runner's colours before reading its summary
  const output = (await run(join(dir, 'node_modules', '.bin', 'vitest'), ['run', ...files], { cwd: dir, env: { CI: '1' } })).replace(/\x1b\[[0-9;]*m/g, '');
  expect(output).toMatch(/Tests\s+\d+ passed/);
  expect(output).not.toMatch(/\d+ failed/);
  return output;
}

describe('token format and metadata shim as answers', () => {
  it('keycloak with --token-format opaque installs, type-checks and passes its whole suite, introspection included', async () => {
    await create(opaqueDir, [...KEYCLOAK, '--token-format', 'opaque', '--no-git']);
    expect(JSON.parse(read(opaqueDir, '.mcp-auth-server.json')).answers).toMatchObject({ provider: 'keycloak', tokenFormat: 'opaque', metadataShim: false });
    expect(read(opaqueDir, '.env')).toMatch(/^AUTH_TOKEN_FORMAT=opaque$/m);
    for (const path of INTROSPECTION_FILES) expect(existsSync(join(opaqueDir, path)), path).toBe(true);
    const output = await passesTests(opaqueDir);
    expect(output).toMatch(/✓ test\/auth\/introspection\.test\.ts/);
  });

  it('a keycloak JWT project is updated to opaque tokens and back, and works at each step', async () => {
    await create(switchedDir, [...KEYCLOAK, '--no-install']);
    shareInstall(switchedDir);
    expect(existsSync(join(switchedDir, 'src/auth/introspection-verifier.ts'))).toBe(false);

    const toOpaque = await runForAnswer('node', [cli, 'update', '--token-format', 'opaque'], { cwd: switchedDir });
    expect(toOpaque, toOpaque.output).toMatchObject({ code: 0 });
    expect(toOpaque.output).toContain('tokenFormat "jwt" → "opaque"');
    for (const path of INTROSPECTION_FILES) expect(existsSync(join(switchedDir, path)), path).toBe(true);
    expect(read(switchedDir, '.env')).toMatch(/^AUTH_TOKEN_FORMAT=opaque$/m);
    await git(switchedDir, 'add', '-A');
    await git(switchedDir, 'commit', '-qm', 'opaque tokens');
    const opaque = await passesTests(switchedDir, ['test/auth/introspection.test.ts', 'test/auth/provider-tokens.test.ts']);
    expect(opaque).toMatch(/✓ test\/auth\/introspection\.test\.ts/);

    const toJwt = await runForAnswer('node', [cli, 'update', '--token-format', 'jwt'], { cwd: switchedDir });
    expect(toJwt, toJwt.output).toMatchObject({ code: 0 });
    for (const path of INTROSPECTION_FILES) expect(existsSync(join(switchedDir, path)), path).toBe(false);
    expect(read(switchedDir, 'src/config.ts')).not.toContain('AUTH_TOKEN_FORMAT');
    await passesTests(switchedDir, ['test/auth/provider-tokens.test.ts', 'test/auth/token-attacks.test.ts']);
  });

  it('generic oidc with --metadata-shim gets the shim and passes its tests', async () => {
    await create(shimDir, ['--provider', 'oidc', '--issuer', 'https://id.example.com', '--metadata-shim', '--no-install', '--no-git']);
    shareInstall(shimDir);
    expect(read(shimDir, '.env')).toMatch(/^AUTH_SERVER_METADATA_SHIM=1$/m);
    expect(read(shimDir, 'README.md')).toContain('chosen with `--metadata-shim`');
    const output = await passesTests(shimDir, ['test/auth/metadata-shim.test.ts', 'test/http/metadata.test.ts']);
    expect(output).toMatch(/✓ test\/auth\/metadata-shim\.test\.ts/);
  });
});
