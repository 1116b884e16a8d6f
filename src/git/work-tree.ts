/**
 * What `update` asks git, when the project is in a git work tree: is the tree clean, and (after a merge with
 * conflicts) record each conflicted file as unmerged, with the three versions as index stages 1/2/3, exactly as
 * `git merge` leaves them. `git status` then lists them as "both modified", `git diff` shows a combined diff,
 * `git checkout --theirs/--ours <file>` works, and `git add <file>` marks one resolved.
 */
import { realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { execa } from 'execa';
import type { FileContents } from '../update/merge/file-rule.js';

/** The top of the git work tree holding `dir`, or undefined (no git, or not in a repository). */
export async function findGitRoot(dir: string): Promise<string | undefined> {
  const result = await execa('git', ['rev-parse', '--show-toplevel'], { cwd: dir, reject: false });
  if (result.failed || result.exitCode !== 0) return undefined;
  return realpath(result.stdout.trim());
}

/** `git status --porcelain` lines for `dir` (untracked files included, ignored ones not). */
export async function uncommittedChanges(dir: string): Promise<string[]> {
  const { stdout } = await execa('git', ['status', '--porcelain=v1', '--untracked-files=all', '--', '.'], { cwd: dir });
  return stdout.split('\n').filter((line) => line.trim() !== '');
}

/** Paths git already considers unmerged (from an earlier merge or update), relative to the repository. */
export async function unmergedPaths(dir: string): Promise<string[]> {
  const { stdout } = await execa('git', ['diff', '--name-only', '--diff-filter=U', '--', '.'], { cwd: dir });
  return stdout.split('\n').filter(Boolean);
}

async function hashObject(cwd: string, contents: FileContents): Promise<string> {
  const { stdout } = await execa('git', ['hash-object', '-w', '--stdin'], { cwd, input: Buffer.from(contents) });
  return stdout.trim();
}

export interface ConflictStages {
  /** Project-relative POSIX path. */
  path: string;
  base: FileContents | undefined;
  ours: FileContents;
  theirs: FileContents;
}

/**
 * Marks each file unmerged in the index of the repository at `gitRoot` (stage 1 = base, 2 = yours, 3 = generator).
 * Only tracked files: an ignored `.env` must never reach the index, where `git add` would then commit it.
 */
export async function markUnmerged(gitRoot: string, projectDir: string, conflicts: readonly ConflictStages[]): Promise<string[]> {
  if (conflicts.length === 0) return [];
  const project = await realpath(projectDir);
  const toRepoPath = (path: string) => relative(gitRoot, join(project, path)).split(sep).join('/');
  const { stdout } = await execa('git', ['--literal-pathspecs', 'ls-files', '-z', '--', ...conflicts.map((c) => toRepoPath(c.path))], { cwd: gitRoot });
  const tracked = new Set(stdout.split('\0').filter(Boolean));
  const lines: string[] = [];
  const marked: string[] = [];
  for (const conflict of conflicts) {
    const absolute = join(project, conflict.path);
    const repoPath = toRepoPath(conflict.path);
    if (!tracked.has(repoPath)) continue;
    marked.push(conflict.path);
    const executable = ((await stat(absolute).catch(() => undefined))?.mode ?? 0) & 0o111;
    const mode = executable ? '100755' : '100644';
    // Stage 0 must go first: an index entry is either merged (stage 0) or unmerged (stages 1–3), never both.
    lines.push(`0 ${'0'.repeat(40)}\t${repoPath}`);
    if (conflict.base !== undefined) lines.push(`${mode} ${await hashObject(gitRoot, conflict.base)} 1\t${repoPath}`);
    lines.push(`${mode} ${await hashObject(gitRoot, conflict.ours)} 2\t${repoPath}`);
    lines.push(`${mode} ${await hashObject(gitRoot, conflict.theirs)} 3\t${repoPath}`);
  }
  if (lines.length > 0) await execa('git', ['update-index', '--index-info'], { cwd: gitRoot, input: `${lines.join('\n')}\n` });
  return marked;
}
