import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const repoDir = dirname(benchDir);
export const workDir = join(benchDir, '.work');
export const cli = join(repoDir, 'dist', 'cli.js');

/**
 * A generated project, built (`tsc` → dist/), from the current templates. Sources are rendered afresh each run;
 * dependencies are installed once per framework into `.work/deps-<framework>` and reused while package.json is the same.
 * A variant (`variant: 'broker'`, `args: ['--broker', …]`: more CLI options) gets folders of its own, so its different
 * package.json does not make the plain project's dependencies install again on every run.
 */
export function generatedProject(framework, transport = 'stateless', { variant = '', args = [] } = {}) {
  if (!existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: repoDir, stdio: 'ignore' });
  const suffix = variant ? `-${variant}` : '';
  const dir = join(workDir, `${framework}-${transport}${suffix}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  // The templates folder itself, not the copy compiled into dist/cli.js, which may be older than the sources.
  const env = { ...process.env, CREATE_MCP_AUTH_SERVER_TEMPLATES: join(repoDir, 'templates') };
  execFileSync('node', [cli, dir, '--yes', '--no-install', '--no-git', '--framework', framework, '--transport', transport, '--pm', 'npm', ...args], { stdio: 'ignore', env });
  const deps = join(workDir, `deps-${framework}${suffix}`);
  const manifest = readFileSync(join(dir, 'package.json'), 'utf8');
  if (!existsSync(join(deps, 'node_modules')) || readFileSync(join(deps, 'package.json'), 'utf8') !== manifest) {
    mkdirSync(deps, { recursive: true });
    writeFileSync(join(deps, 'package.json'), manifest);
    process.stderr.write(`installing the generated ${framework} project's dependencies (once)…\n`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: deps, stdio: 'ignore' });
  }
  symlinkSync(join(deps, 'node_modules'), join(dir, 'node_modules'), 'dir');
  execFileSync(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  return dir;
}
