/**
 * `git init` + first commit. Best effort: the project is already complete, so anything that goes wrong here is a
 * warning, and a machine without a git identity still gets its first commit.
 */
import type { Logger } from '../logger.js';

export const INITIAL_COMMIT_MESSAGE = 'Initial commit from create-mcp-auth-server';
/** Used only when no identity is configured, so the commit cannot fail for that reason. */
const FALLBACK_IDENTITY = [
  '-c', 'user.name=create-mcp-auth-server',
  '-c', 'user.email=create-mcp-auth-server@users.noreply.local',
];

export type GitInitResult = 'committed' | 'skipped-no-git' | 'skipped-inside-repo' | 'failed';

async function succeeds(args: string[], cwd: string): Promise<boolean> {
  const { execa } = await import('execa');
  const result = await execa('git', args, { cwd, reject: false, stdio: 'ignore' });
  return result.exitCode === 0;
}

async function hasIdentity(cwd: string): Promise<boolean> {
  return (await succeeds(['config', 'user.name'], cwd)) && (await succeeds(['config', 'user.email'], cwd));
}

export async function initGitRepository(cwd: string, logger: Logger): Promise<GitInitResult> {
  // Loaded here, not at the top: `--no-git --no-install` never pays for execa (scaffold time is benchmarked).
  const { execa } = await import('execa');
  const version = await execa('git', ['--version'], { cwd, reject: false, stdio: 'ignore' });
  if (version.exitCode !== 0 || version.failed) return 'skipped-no-git';
  // A project created inside an existing repository (a monorepo) belongs to that repository.
  if (await succeeds(['rev-parse', '--is-inside-work-tree'], cwd)) return 'skipped-inside-repo';
  const identity = (await hasIdentity(cwd)) ? [] : FALLBACK_IDENTITY;
  try {
    await execa('git', ['init', '--quiet'], { cwd });
    await execa('git', ['add', '-A'], { cwd });
    // --no-verify: the user's global hooks are for their code, not for our generated first commit.
    await execa('git', [...identity, 'commit', '--quiet', '--no-verify', '-m', INITIAL_COMMIT_MESSAGE], { cwd });
    return 'committed';
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    const reason = typeof stderr === 'string' && stderr.trim() ? stderr.trim().split('\n')[0] : String(error);
    logger.warn(`warning: git init failed (${reason}); the project is complete, commit it yourself`);
    return 'failed';
  }
}
