import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, run, start, type Background } from './run.js';

/**
 * `npm create`, `pnpm create`, `yarn create` (classic) and `bun create` as users run them: the packed package is
 * published to a local registry (Verdaccio on 127.0.0.1, proxying every other package to the registry npm is
 * configured with), and each manager resolves `create-mcp-auth-server` from there, runs it, and the CLI installs the
 * project with that manager. Each manager is pointed at the registry by a temporary HOME: no user configuration is
 * read or changed.
 *
 * The four creates run at once (mostly waiting on the network); the projects' own test suites then run one at a
 * time, each one's OAuth flow tests being timing-sensitive on a small machine.
 */
const VERDACCIO = 'verdaccio@6.10.4';
const repo = fileURLToPath(new URL('../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'create-mcp-auth-server-pm-'));
const home = join(root, 'home');
const work = join(root, 'work');

interface Manager {
  id: 'npm' | 'pnpm' | 'yarn' | 'bun';
  /** The command a user types, with `--yes` (npm needs `--` or it keeps the flags for itself). */
  create: (dir: string, flags: string[]) => string[];
  framework: 'express' | 'hono';
  lockfile: string;
  install: string;
  dev: string;
  test: string[];
}

const managers: Manager[] = [
  { id: 'npm', create: (dir, flags) => ['create', 'mcp-auth-server@latest', dir, '--', ...flags], framework: 'express', lockfile: 'package-lock.json', install: 'npm install', dev: 'npm run dev', test: ['run', 'test'] },
  { id: 'pnpm', create: (dir, flags) => ['create', 'mcp-auth-server', dir, ...flags], framework: 'hono', lockfile: 'pnpm-lock.yaml', install: 'pnpm install', dev: 'pnpm dev', test: ['test'] },
  { id: 'yarn', create: (dir, flags) => ['create', 'mcp-auth-server', dir, ...flags], framework: 'hono', lockfile: 'yarn.lock', install: 'yarn', dev: 'yarn dev', test: ['test'] },
  { id: 'bun', create: (dir, flags) => ['create', 'mcp-auth-server', dir, ...flags], framework: 'express', lockfile: 'bun.lock', install: 'bun install', dev: 'bun run dev', test: ['run', 'test'] },
];
const lockfiles = managers.map((manager) => manager.lockfile);

/**
 * The managers' environment: the temporary HOME (and XDG folders, where pnpm keeps its store) and none of the outer
 * npm's `npm_config_*` (`npm test` sets its user config, cache and prefix, which would win over the HOME's .npmrc).
 */
function managerEnv(): Record<string, string | undefined> {
  const outerNpm = Object.fromEntries(Object.keys(process.env).filter((name) => /^npm_config_/i.test(name)).map((name) => [name, undefined]));
  return {
    ...outerNpm,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    // The packed CLI's own templates, not this checkout's.
    CREATE_MCP_AUTH_SERVER_TEMPLATES: undefined,
  };
}

let registry: Background | undefined;
const creates = new Map<Manager['id'], Promise<string>>();

beforeAll(async () => {
  for (const manager of ['pnpm', 'yarn', 'bun']) {
    await run(manager, ['--version'], { cwd: root }).catch(() => {
      throw new Error(`${manager} is not on PATH (.ci/run installs it: npm i -g pnpm yarn@1 bun)`);
    });
  }
  // The registry the machine's npm uses, read before HOME is replaced: Verdaccio proxies everything else to it.
  const upstream = (await run('npm', ['config', 'get', 'registry'], { cwd: root })).trim();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  mkdirSync(home, { recursive: true });
  mkdirSync(work);
  writeFileSync(
    join(root, 'verdaccio.yaml'),
    [
      `storage: ${join(root, 'storage')}`,
      'uplinks:',
      '  upstream:',
      `    url: ${upstream}`,
      '    timeout: 60s',
      'packages:',
      // Ours is never proxied: only the packed one can answer, whatever the public registry holds under the name.
      "  'create-mcp-auth-server':",
      '    access: $all',
      '    publish: $all',
      "  '**':",
      '    access: $all',
      '    proxy: upstream',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  // One .npmrc read by all four managers. The token only satisfies npm publish's check for one: the registry
  // accepts anonymous publishes of our package.
  writeFileSync(
    join(home, '.npmrc'),
    [`registry=${url}`, `//127.0.0.1:${port}/:_authToken=local-e2e`, 'fund=false', 'audit=false', 'update-notifier=false', ''].join('\n'),
  );
  // Verdaccio 6 needs Node 22: both come from the registry through npx, in the user's own npx cache.
  registry = await start('npx', ['-y', '-p', 'node@22', '-p', VERDACCIO, '--', 'verdaccio', '--config', join(root, 'verdaccio.yaml'), '--listen', `127.0.0.1:${port}`], {
    cwd: root,
    ready: /http address/,
    timeoutMs: 300_000,
  });

  const packed = await run('npm', ['pack', '--json', '--pack-destination', root], { cwd: repo });
  const [info] = JSON.parse(packed.slice(packed.indexOf('['))) as [{ filename: string }];
  await run('npm', ['publish', join(root, info.filename)], { cwd: root, env: managerEnv() });

  for (const manager of managers) {
    const flags = ['--yes', '--no-git', ...(manager.framework === 'hono' ? ['--framework', 'hono'] : [])];
    const created = run(manager.id, manager.create(`${manager.id}-app`, flags), { cwd: work, env: managerEnv(), timeoutMs: 480_000 });
    created.catch(() => {}); // awaited by its own test; not an unhandled rejection meanwhile
    creates.set(manager.id, created);
  }
  await Promise.allSettled(creates.values());
}, 900_000);

afterAll(async () => {
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe.each(managers)('`$id create mcp-auth-server`', (manager) => {
  const project = join(work, `${manager.id}-app`);

  it(`installs with ${manager.id}, without a warning, and writes ${manager.id}'s commands`, async () => {
    const output = await creates.get(manager.id)!;
    expect(output).toContain(`Created ${manager.id}-app (`);
    expect(output).toContain(`, ${manager.framework}, provider local)`);
    // The install's own output, from our announcement of it to our report of its end.
    // pnpm's "[WARN] Request took 12390ms" is about this registry's first fetches through its uplink, not the project.
    const install = output
      .slice(output.indexOf(`Installing dependencies with ${manager.install}…`), output.indexOf('Installed dependencies in'))
      .replace(/^.*WARN.*Request took \d+ms.*$/gm, '');
    expect(install).toContain(manager.install);
    expect(install).not.toMatch(/warn|error|install scripts|ignored build|blocked|approve|unmet peer/i);

    expect(readdirLockfiles(project)).toEqual([manager.lockfile]);
    const answers = JSON.parse(readFileSync(join(project, '.mcp-auth-server.json'), 'utf8')) as { answers: { packageManager: string } };
    expect(answers.answers.packageManager).toBe(manager.id);
    expect(output).toContain(`Next steps:\n  cd ${manager.id}-app\n  ${manager.dev}\n`);
    expect(output).toContain(`Also: ${[manager.id, ...manager.test].join(' ')} `);
    const readme = readFileSync(join(project, 'README.md'), 'utf8');
    expect(readme).toContain(`${manager.install}\n${manager.dev}\n`);
    expect(existsSync(join(project, 'pnpm-workspace.yaml'))).toBe(manager.id === 'pnpm');
  });

  it(`passes its own tests under \`${manager.id} ${manager.test.join(' ')}\``, async () => {
    await creates.get(manager.id)!;
    // eslint-disable-next-line no-control-regex -- strip the test runner's colours before reading its summary
    const output = (await run(manager.id, manager.test, { cwd: project, env: managerEnv() })).replace(/\x1b\[[0-9;]*m/g, '');
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
    console.log(`${manager.id}: ${/Tests\s+(\d+ passed[^\n]*)/.exec(output)?.[1]}`);
  });
});

function readdirLockfiles(dir: string): string[] {
  return lockfiles.filter((name) => existsSync(join(dir, name)));
}
