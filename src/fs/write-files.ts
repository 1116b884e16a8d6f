/**
 * The one way the generator changes the disk, all or nothing: `create` (a new or empty folder), `update` and
 * `add tool` (an existing project). Every new file is staged first; then, for a folder that did not exist, the
 * staging folder is renamed into place (one atomic rename); for an existing one, each file it replaces or deletes is
 * moved aside and the staged file renamed in. An error, or Ctrl-C (SIGINT/SIGTERM, noticed before anything is moved),
 * puts every original back and removes what was written, so the folder ends fully written or as it was.
 * Files that may hold secrets are created 0600 (render/secret-file.ts), others 0644; a replaced file keeps its mode.
 * Checks and renames are synchronous (no thread-pool round trip each); folders (a level at a time) and files are
 * staged concurrently: creating one costs about a millisecond on some disks (this project's CI VM).
 */
import { lstatSync, mkdirSync, renameSync, rmdirSync, rmSync, writeFile } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { CliError } from '../errors.js';
import { resolveInside } from '../render/safe-path.js';
import { isSecretFile } from '../render/secret-file.js';

/** A file's new contents, or `null` to delete it. */
export type FileWrites = ReadonlyMap<string, string | Buffer | null>;

export interface WriteFilesOptions {
  /** How messages name the folder (the path as the user typed it, or "the project"). */
  label: string;
  /** Awaited after each file is staged: progress for a UI; tests use it to interrupt a write. */
  onFileStaged?: (path: string) => void | Promise<void>;
}

/** fs.writeFile with a callback: the same open/write/close as fs/promises, without a FileHandle per file. */
const writeNewFile = (path: string, contents: string | Buffer, mode: number) =>
  new Promise<void>((resolve, reject) => writeFile(path, contents, { mode, flag: 'wx' }, (error) => (error ? reject(error) : resolve())));

/** Creates `dirs` (and their parents) under the existing `root`, a level at a time, each level concurrently. */
async function makeFolders(root: string, dirs: readonly string[]): Promise<void> {
  const all = new Set<string>();
  for (let dir of dirs) {
    for (; dir.length > root.length && !all.has(dir); dir = dirname(dir)) all.add(dir);
  }
  const byDepth = new Map<number, string[]>();
  for (const dir of all) {
    const depth = dir.split(sep).length;
    byDepth.set(depth, [...(byDepth.get(depth) ?? []), dir]);
  }
  for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
    await Promise.all(byDepth.get(depth)!.map((dir) => mkdir(dir)));
  }
}

/** Turns SIGINT/SIGTERM into a flag, checked before anything is moved into place, for the duration of `run`. */
async function withSignalsTrapped<T>(run: (cancelled: () => boolean) => Promise<T>): Promise<T> {
  let cancelled = false;
  const onSignal = () => {
    cancelled = true;
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    return await run(() => cancelled);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

/** Applies `writes` (project-relative POSIX paths) under `root`, creating `root` if needed; all or nothing. */
export async function writeFiles(root: string, writes: FileWrites, options: WriteFilesOptions): Promise<void> {
  const target = resolve(root);
  const label = options.label;
  // Checked once here (resolveInside refuses anything that leaves the target); a staged copy has the same tail.
  const entries = [...writes].map(([path, contents]) => {
    const to = resolveInside(target, path);
    return { path, contents, to, tail: to.slice(target.length) };
  });
  const existed = lstatSync(target, { throwIfNoEntry: false }) !== undefined;
  const createdParent = existed ? undefined : mkdirSync(dirname(target), { recursive: true });
  // Same file system as the target, so every rename is atomic: inside an existing folder, beside a new one.
  // Unique enough for a folder we create exclusively (mkdir fails on a clash), without loading node:crypto.
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const work = existed ? join(target, `.mcp-auth-server.tmp-${suffix}`) : join(dirname(target), `.${basename(target)}.tmp-${suffix}`);
  const staging = existed ? join(work, 'new') : work;
  const aside = join(work, 'old');
  const movedAside: { from: string; to: string }[] = [];
  const placed: string[] = [];
  const createdDirs: string[] = [];
  await withSignalsTrapped(async (cancelled) => {
    const checkCancelled = () => {
      if (cancelled()) throw new CliError('cancelled', existed ? `cancelled; ${label} was left as it was` : 'cancelled; nothing was written');
    };
    try {
      // 1. Stage every new file: a replaced file keeps its mode; a new one is 0600 if it may hold secrets, else 0644.
      const current = entries.map(({ path, to }) => {
        const stats = existed ? lstatSync(to, { throwIfNoEntry: false }) : undefined;
        if (stats && !stats.isFile()) throw new CliError('write_failed', `${path} is not a regular file; move it away and retry`);
        return stats;
      });
      const staged = entries.flatMap(({ path, contents, tail }, index) => {
        if (contents === null) return [];
        const mode = current[index] ? current[index].mode & 0o777 : isSecretFile(path) ? 0o600 : 0o644;
        return [{ path, contents, at: staging + tail, mode }];
      });
      mkdirSync(work);
      await makeFolders(work, staged.map(({ at }) => dirname(at)));
      // Settled, not Promise.all: nothing may still be writing into the staging folder when a rollback removes it.
      const results = await Promise.allSettled(
        staged.map(async ({ path, contents, at, mode }) => {
          await writeNewFile(at, contents, mode);
          if (options.onFileStaged) await options.onFileStaged(path);
        }),
      );
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      checkCancelled();
      if (!existed) {
        renameSync(staging, target);
        return;
      }
      // 2. Move aside what is replaced or deleted; 3. move the staged file into place.
      for (const [index, { path, contents, to, tail }] of entries.entries()) {
        checkCancelled();
        if (current[index]) {
          const backup = aside + tail;
          mkdirSync(dirname(backup), { recursive: true });
          renameSync(to, backup);
          movedAside.push({ from: to, to: backup });
        } else if (lstatSync(to, { throwIfNoEntry: false })) {
          // Only what was checked is replaced: a rename would silently overwrite a file that appeared since.
          throw new CliError('write_failed', `${path} appeared while writing; move it away and retry`);
        }
        if (contents === null) continue;
        const dir = mkdirSync(dirname(to), { recursive: true });
        if (dir) createdDirs.push(dir);
        renameSync(staging + tail, to);
        placed.push(to);
      }
    } catch (error) {
      // 4. Roll back: what was placed, the originals back, folders we created, the staging folder.
      for (const path of placed.reverse()) rmSync(path, { force: true });
      for (const { from, to } of movedAside.reverse()) renameSync(to, from);
      for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
      if (createdParent) rmSync(createdParent, { recursive: true, force: true });
      if (error instanceof CliError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const outcome = existed ? 'it was left as it was' : 'nothing was left behind';
      throw new CliError('write_failed', `could not write ${label}: ${reason}; ${outcome}`, { cause: error });
    }
  });
  if (!existed) return;
  rmSync(work, { recursive: true, force: true });
  // Folders emptied by deletions go too (git does not track empty folders either).
  for (const { contents, to } of entries) {
    if (contents !== null) continue;
    for (let dir = dirname(to); dir.startsWith(target) && dir !== target; dir = dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        break;
      }
    }
  }
}
