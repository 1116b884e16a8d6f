/**
 * `npm create mcp-auth-server`, `pnpm create …`, `yarn create …` and `bun create …`: each manager starts the BUILT
 * CLI with its own `npm_config_user_agent`; the CLI must detect it, install with it, and print and write that
 * manager's commands (next steps, README, CI workflow, Dockerfile). The managers are stand-ins on PATH that log
 * their arguments (only npm is installed on the build machine; the e2e tests install with the real npm).
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));
let cwd: string;
let fakeBin: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pm-invocations-'));
  fakeBin = join(cwd, '.fake-bin');
  await mkdir(fakeBin);
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

/** A stand-in package manager on PATH: logs "<cwd> <args>" and succeeds. */
async function fakeManager(name: string): Promise<string> {
  const log = join(fakeBin, `${name}.log`);
  await writeFile(join(fakeBin, name), `#!/bin/sh\necho "$PWD $*" >> '${log}'\nexit 0\n`);
  await chmod(join(fakeBin, name), 0o755);
  return log;
}

function runCli(args: string[], userAgent: string, path = `${fakeBin}${delimiter}${process.env['PATH']}`) {
  return execa(process.execPath, [CLI, ...args], {
    cwd,
    reject: false,
    stdin: 'ignore',
    env: { CREATE_MCP_AUTH_SERVER_TEMPLATES: TEMPLATES, PATH: path, npm_config_user_agent: userAgent },
    timeout: 30_000,
  });
}

/** What each `<manager> create mcp-auth-server` sets as user agent, and the commands the project must then use. */
const invocations = [
  {
    manager: 'npm',
    userAgent: 'npm/11.6.2 node/v20.20.0 linux x64 workspaces/false',
    install: 'install',
    commands: { install: 'npm install', dev: 'npm run dev', test: 'npm run test', ci: 'npm ci' },
    lock: 'package-lock.json',
  },
  {
    manager: 'pnpm',
    userAgent: 'pnpm/10.34.8 npm/? node/v22.23.3 linux x64',
    install: 'install',
    commands: { install: 'pnpm install', dev: 'pnpm dev', test: 'pnpm test', ci: 'pnpm install --frozen-lockfile' },
    lock: 'pnpm-lock.yaml pnpm-workspace.yaml',
  },
  {
    manager: 'yarn',
    userAgent: 'yarn/1.22.22 npm/? node/v20.20.0 darwin arm64',
    install: '',
    commands: { install: 'yarn', dev: 'yarn dev', test: 'yarn test', ci: 'yarn install --frozen-lockfile' },
    lock: 'yarn.lock',
  },
  {
    manager: 'bun',
    userAgent: 'bun/1.3.2 npm/? node/v24.3.0 linux x64',
    install: 'install',
    commands: { install: 'bun install', dev: 'bun run dev', test: 'bun run test', ci: 'bun install --frozen-lockfile' },
    lock: 'bun.lock',
  },
] as const;

describe.each(invocations)('`$manager create mcp-auth-server`', ({ manager, userAgent, install, commands, lock }) => {
  test('detects the manager, installs with it in the new project, and prints its commands', async () => {
    const log = await fakeManager(manager);
    const result = await runCli(['my-server', '--yes', '--no-git'], userAgent);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const project = join(cwd, 'my-server');
    expect((await readFile(log, 'utf8')).trim()).toBe(`${project} ${install}`.trim());
    expect(result.stdout).toContain(`Installing dependencies with ${commands.install}…`);
    expect(result.stdout).toContain(`Next steps:\n  cd my-server\n  ${commands.dev}\n`);
    expect(result.stdout).toContain(`Also: ${commands.test} `);

    const answers = JSON.parse(await readFile(join(project, '.mcp-auth-server.json'), 'utf8')) as { answers: { packageManager: string } };
    expect(answers.answers.packageManager).toBe(manager);
    const readme = await readFile(join(project, 'README.md'), 'utf8');
    expect(readme).toContain(`${commands.install}\n${commands.dev}\n`);
    expect(await readFile(join(project, '.github/workflows/ci.yml'), 'utf8')).toContain(`- run: ${commands.ci}\n`);
    expect(await readFile(join(project, 'Dockerfile'), 'utf8')).toContain(`COPY package.json ${lock} ./`);
  });

  test('without installing, the next steps start with its install command', async () => {
    const result = await runCli(['my-server', '--yes', '--no-git', '--no-install'], userAgent);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`Next steps:\n  cd my-server\n  ${commands.install}\n  ${commands.dev}\n`);
  });
});

test('--pm wins over the detected manager', async () => {
  const log = await fakeManager('pnpm');
  const result = await runCli(['my-server', '--yes', '--no-git', '--pm', 'pnpm'], 'yarn/1.22.22 npm/? node/v20.20.0 linux x64');
  expect(result.exitCode).toBe(0);
  expect(await readFile(log, 'utf8')).toContain('install');
  expect(result.stdout).toContain('  pnpm dev\n');
});

test('a manager missing from PATH leaves the complete project and says how to install later', async () => {
  // PATH holds only the fake bin dir, with this node linked in and no bun: node's own directory may hold a real bun
  // (`npm i -g bun` links it beside node).
  await symlink(process.execPath, join(fakeBin, 'node'));
  const result = await runCli(['my-server', '--yes', '--no-git'], 'bun/1.3.2 npm/? node/v22.0.0 linux x64', fakeBin);
  expect(result.exitCode).not.toBe(0);
  expect(result.stderr).toContain('bun was not found on PATH');
  expect(result.stderr).toContain('cd my-server && bun install');
  expect(existsSync(join(cwd, 'my-server/package.json'))).toBe(true);
  // The summary is still printed, with the install step the user now needs.
  expect(result.stdout).toContain('  cd my-server\n  bun install\n  bun run dev\n');
});
