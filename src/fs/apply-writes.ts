/**
 * Writes an update into an existing project, all or nothing: every new file is staged first, every file it
 * replaces or deletes is moved aside, then the staged files are renamed into place. If anything fails (or
 * Ctrl-C arrives) the moved-aside originals come back, so the project is either fully updated or untouched.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CliError } from '../errors.js';
import { resolveInside } from '../render/safe-path.js';
import { isSecretFile } from '../render/secret-file.js';
import type { FileContents } from '../update/merge/file-rule.js';

export interface ApplyOptions {
  /** Awaited after each file is staged; tests use it to interrupt an update half-way. */
  onFileStaged?: (path: string) => void | Promise<void>;
}

/** Applies `writes` (path → contents, or null to delete) inside `projectDir`. */
export async function applyWrites(projectDir: string, writes: ReadonlyMap<string, FileContents | null>, options: ApplyOptions = {}): Promise<void> {
  const work = join(projectDir, `.mcp-auth-server.tmp-${randomBytes(6).toString('hex')}`);
  const staged = join(work, 'new');
  const aside = join(work, 'old');
  const movedAside: { from: string; to: string }[] = [];
  const placed: string[] = [];
  const createdDirs: string[] = [];
  let cancelled = false;
  const onSignal = () => {
    cancelled = true;
  };
  const checkCancelled = () => {
    if (cancelled) throw new CliError('cancelled', 'cancelled; the project was left as it was');
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    // 1. Stage every new file (mode: the file's current one, or 0600 for files that may hold secrets, 0644 otherwise).
    for (const [path, contents] of writes) {
      checkCancelled();
      const target = resolveInside(projectDir, path);
      if (contents === null) continue;
      const current = await lstat(target).catch(() => undefined);
      if (current && !current.isFile()) throw new CliError('write_failed', `${path} is not a regular file; move it away and retry`);
      const file = resolveInside(staged, path);
      await mkdir(dirname(file), { recursive: true });
      const mode = current ? current.mode & 0o777 : isSecretFile(path) ? 0o600 : 0o644;
      await writeFile(file, contents, { mode, flag: 'wx' });
      await options.onFileStaged?.(path);
    }
    // 2. Move aside what is replaced or deleted; 3. move the staged files into place.
    for (const [path, contents] of writes) {
      checkCancelled();
      const target = resolveInside(projectDir, path);
      if (await lstat(target).then(() => true, () => false)) {
        const backup = resolveInside(aside, path);
        await mkdir(dirname(backup), { recursive: true });
        await rename(target, backup);
        movedAside.push({ from: target, to: backup });
      }
      if (contents === null) continue;
      const dir = await mkdir(dirname(target), { recursive: true });
      if (dir) createdDirs.push(dir);
      await rename(resolveInside(staged, path), target);
      placed.push(target);
    }
  } catch (error) {
    // Roll back: remove what was placed, put the originals back, remove folders we created.
    for (const target of placed.reverse()) await rm(target, { force: true });
    for (const { from, to } of movedAside.reverse()) await rename(to, from);
    for (const dir of createdDirs.reverse()) await rm(dir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
    if (error instanceof CliError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError('write_failed', `could not update the project: ${reason}; it was left as it was`, { cause: error });
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
  await rm(work, { recursive: true, force: true });
  // Folders emptied by deletions go too (git does not track empty folders either).
  for (const [path, contents] of writes) {
    if (contents !== null) continue;
    for (let dir = dirname(resolveInside(projectDir, path)); dir.startsWith(projectDir) && dir !== projectDir; dir = dirname(dir)) {
      if (!(await rmdir(dir).then(() => true, () => false))) break;
    }
  }
}
