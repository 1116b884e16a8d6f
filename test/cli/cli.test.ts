/**
 * Runs the BUILT CLI (dist/cli.js) with node against the mini fixture templates, in temp dirs outside the repo.
 * The cli test project builds dist/ before it runs (test/build-cli.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { flagSpecs } from '../../src/answers/flags.js';
import { parseAnswersFile } from '../../src/answers/answers-file.js';
import { MINI_TEMPLATES } from '../unit/render/fixtures.js';
import packageJson from '../../package.json' with { type: 'json' };

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let cwd: string;
let fakeBin: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'cli-test-'));
  fakeBin = join(cwd, '.fake-bin');
  await mkdir(fakeBin);
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** A stand-in package manager on PATH that logs how it was called and exits with `code`. */
async function fakePackageManager(name: string, code: number): Promise<string> {
  const log = join(fakeBin, `${name}.log`);
  await writeFile(join(fakeBin, name), `#!/bin/sh\necho "$PWD $*" >> '${log}'\necho "${name} output"\nexit ${code}\n`);
  await chmod(join(fakeBin, name), 0o755);
  return log;
}

function run(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [CLI, ...args], {
    cwd,
    reject: false,
    stdin: 'ignore', // not a TTY: the CLI must never wait for input
    env: {
      CREATE_MCP_AUTH_SERVER_TEMPLATES: fileURLToPath(MINI_TEMPLATES),
      PATH: `${fakeBin}${delimiter}${process.env['PATH']}`,
      npm_config_user_agent: '',
      ...env,
    },
    timeout: 20_000,
  });
}

describe('create-mcp-auth-server (built)', () => {
  test('--help lists every flag from the flag table', async () => {
    const result = await run(['--help']);
    expect(result.exitCode).toBe(0);
    for (const spec of flagSpecs) {
      expect(result.stdout).toContain(`--${spec.name}`);
      if (spec.alias) expect(result.stdout).toContain(`-${spec.alias}, --${spec.name}`);
      for (const choice of spec.choices ?? []) expect(result.stdout).toContain(choice.id);
    }
  });

  test('--help and --version work without the lazily loaded create chunk', async () => {
    const copy = join(cwd, 'dist');
    await cp(fileURLToPath(new URL('../../dist/', import.meta.url)), copy, { recursive: true });
    for (const name of await readdir(copy)) if (name !== 'cli.js' && !name.startsWith('chunk-')) await rm(join(copy, name));
    const help = await execa(process.execPath, [join(copy, 'cli.js'), '-h'], { reject: false });
    expect(help.exitCode).toBe(0);
    const version = await execa(process.execPath, [join(copy, 'cli.js'), '-v'], { reject: false });
    expect(version.stdout).toBe(packageJson.version);
  });

  test('--version prints the package version', async () => {
    const result = await run(['--version']);
    expect([result.exitCode, result.stdout]).toEqual([0, packageJson.version]);
  });

  test.each([
    [['my-app', '--provider', 'authzero', '--yes'], /^error: provider must be one of local, oidc, oauth, logto, auth0, .* \(got "authzero"\)$/],
    [['my-app', '--provider', 'auth0', '--yes'], /^error: --provider auth0 needs --auth0-domain <host> \(e.g. dev-abc123.us.auth0.com\)/],
    [['my-app', '--provider', 'cognito', '--auth0-domain', 'x.example', '-y'], 'error: --auth0-domain belongs to --provider auth0, not cognito'],
    [['my-app', '--provder', 'oidc'], 'error: unknown flag --provder; did you mean --provider?'],
    [['my-app', '--issuer', 'http://auth.example.com', '-y'], /^error: issuer must use https/],
    [['my-app', '--scopes', 'read,offline_access', '-y'], /^error: scope "offline_access"/],
    [['My App', '-y'], /^error: project name "My App" is not a valid npm package name/],
    [['my-app', '--provider', 'oidc'], /^error: --provider oidc needs an issuer: pass --issuer <url>/],
  ])('refuses %j with exit 1, one line on stderr, and no directory', async (args, message) => {
    const result = await run(args);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(await readdir(cwd)).toEqual(['.fake-bin']);
  });

  test('--dry-run lists paths and sizes and writes nothing', async () => {
    const result = await run(['my-app', '--yes', '--dry-run']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Dry run: would write 14 files \([\d.]+ k?B\) to my-app; nothing was written\./);
    expect(result.stdout).toMatch(/\n +\d+ B {2}\.mcp-auth-server\.json\n/);
    expect(result.stdout).toContain('  .env\n');
    expect(await readdir(cwd)).toEqual(['.fake-bin']);
  });

  test('--yes --no-install --no-git writes the project and its answers file, then prints next steps', async () => {
    const result = await run(['my-app', '--yes', '--no-install', '--no-git', '--framework=hono', '--pm', 'pnpm']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const dir = join(cwd, 'my-app');
    expect((await readdir(dir, { recursive: true })).sort()).toEqual(
      ['.config', '.config/settings.json', '.env', '.gitignore', '.mcp-auth-server', '.mcp-auth-server.json', '.mcp-auth-server/base.json', 'README.md', 'assets', 'assets/logo.bin', 'package.json', 'src', 'src/auth', 'src/auth/dev-server.ts', 'src/auth/verify.ts', 'src/config.ts', 'src/dev.ts', 'src/http', 'src/http/app.ts', 'src/resource-server.ts'],
    );
    expect(await readFile(join(dir, 'src/http/app.ts'), 'utf8')).toBe('export const framework = "hono";\n');
    expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(0o600);
    const answersFile = parseAnswersFile(await readFile(join(dir, '.mcp-auth-server.json'), 'utf8'));
    expect(answersFile).toEqual({
      generatorVersion: packageJson.version,
      answers: {
        projectName: 'my-app',
        provider: 'local',
        framework: 'hono',
        transport: 'stateless',
        runtime: 'node',
        scopes: ['read', 'write'],
        issuer: 'http://localhost:3001',
        tokenFormat: 'jwt',
        metadataShim: false,
        broker: false,
        packageManager: 'pnpm',
      },
    });
    expect(result.stdout).toContain('Next steps:\n  cd my-app\n  pnpm install\n  pnpm dev\n');
    expect(result.stdout).toContain('  http://localhost:3000/mcp');
    expect(existsSync(join(dir, '.git'))).toBe(false);
  });

  test('refuses a non-empty directory and suggests --force', async () => {
    await mkdir(join(cwd, 'my-app'));
    await writeFile(join(cwd, 'my-app', 'notes.md'), 'mine');
    const result = await run(['my-app', '-y', '--no-install', '--no-git']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('error: my-app is not empty (notes.md); choose another directory or use --force');
  });

  test('installs with the chosen package manager in the project, piping its output', async () => {
    const log = await fakePackageManager('pnpm', 0);
    const result = await run(['my-app', '-y', '--no-git', '--pm', 'pnpm']);
    expect(result.exitCode).toBe(0);
    expect(await readFile(log, 'utf8')).toBe(`${join(cwd, 'my-app')} install\n`);
    expect(result.stdout).toMatch(/Installing dependencies with pnpm install…\npnpm output\nInstalled dependencies in [\d.]+s\./);
    expect(result.stdout).toContain('Next steps:\n  cd my-app\n  pnpm dev\n');
  });

  test('keeps the project when the install fails, and exits 1 with the command to retry', async () => {
    await fakePackageManager('bun', 1);
    const result = await run(['my-app', '-y', '--no-git', '--pm', 'bun']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      'error: bun install failed. The project is complete; install later with: cd my-app && bun install',
    );
    expect(existsSync(join(cwd, 'my-app', 'package.json'))).toBe(true);
    expect(result.stdout).toContain('Next steps:\n  cd my-app\n  bun install\n  bun run dev\n');
  });

  test('makes the first git commit even when no git identity is configured', async () => {
    const home = join(cwd, '.home');
    await mkdir(home);
    const gitEnv = { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: join(home, 'none') };
    const result = await run(['my-app', '-y', '--no-install'], gitEnv);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Created a git repository with an initial commit.');
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: join(cwd, 'my-app'), env: { ...process.env, ...gitEnv }, encoding: 'utf8' });
    expect(git('log', '--format=%an <%ae>|%s')).toBe(
      'create-mcp-auth-server <create-mcp-auth-server@users.noreply.local>|Initial commit from create-mcp-auth-server\n',
    );
    expect(git('status', '--porcelain')).toBe('');
    expect(git('ls-files')).not.toContain('.env\n'); // the fixture's .gitignore keeps the secret file out
  });
});
