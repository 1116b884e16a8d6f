/**
 * Map → disk, all or nothing. Everything is written into a staging folder beside the target, then renamed (or,
 * for an existing folder with --force, moved in file by file). An error or Ctrl-C removes what was written.
 * Existing files are never overwritten: we refuse before writing anything.
 * Checks and renames are synchronous (no thread-pool round trip each); folders (a level at a time) and files are
 * created concurrently.
 * A Ctrl-C during the writes is noticed when they are done, before anything is renamed into place.
 */
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFile } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { CliError } from '../errors.js';
import type { ProjectFiles } from '../render/render.js';
import { resolveInside } from '../render/safe-path.js';
import { isSecretFile } from '../render/secret-file.js';

export interface WriteOptions {
  /** Allow an existing non-empty directory. Files that already exist are still never overwritten. */
  force: boolean;
  /** How messages name the target (e.g. the path as the user typed it); defaults to `targetDir`. */
  label?: string;
  /** Awaited after each file is staged: progress for a UI; tests use it to interrupt a write. */
  onFileStaged?: (outputPath: string) => void | Promise<void>;
}

/** Entries that do not make a directory "non-empty": a fresh `git clone` of an empty repository. */
const IGNORED_ENTRIES = new Set(['.git']);
const LISTED_ENTRIES = 5;
const fileMode = (path: string) => (isSecretFile(path) ? 0o600 : 0o644);
const exists = (path: string) => lstatSync(path, { throwIfNoEntry: false }) !== undefined;

/** Existing entries of `dir`, or undefined when it does not exist. */
function listExisting(dir: string, label: string): string[] | undefined {
  const stats = lstatSync(dir, { throwIfNoEntry: false });
  if (!stats) return undefined;
  if (!stats.isDirectory()) throw new CliError('target_not_empty', `${label} exists and is not a directory`);
  return readdirSync(dir).filter((name) => !IGNORED_ENTRIES.has(name)).sort();
}

function listSome(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_ENTRIES).join(', ');
  return names.length > LISTED_ENTRIES ? `${shown}, and ${names.length - LISTED_ENTRIES} more` : shown;
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

export async function writeProject(targetDir: string, files: ProjectFiles, options: WriteOptions): Promise<void> {
  const target = resolve(targetDir);
  const label = options.label ?? targetDir;
  // Checked once here (resolveInside refuses anything that leaves the target); the staged copy has the same tail.
  const destinations = [...files.keys()].map((path) => {
    const to = resolveInside(target, path);
    return { path, to, tail: to.slice(target.length) };
  });

  // 1. An existing directory must be empty unless --force.
  const existing = listExisting(target, label);
  if (existing && existing.length > 0 && !options.force) {
    throw new CliError(
      'target_not_empty',
      `${label} is not empty (${listSome(existing)}); choose another directory or use --force`,
    );
  }
  // 2. Even with --force, never overwrite.
  if (existing) {
    const clashes = [];
    for (const { path, to } of destinations) if (exists(to)) clashes.push(path);
    if (clashes.length > 0) {
      throw new CliError('would_overwrite', `would overwrite ${listSome(clashes)} in ${label}; move them away and retry`);
    }
  }

  // 3. Stage beside the target (same file system, so the final rename is atomic), then move into place.
  const createdParent = mkdirSync(dirname(target), { recursive: true });
  // Unique enough for a folder we create exclusively (mkdir fails on a clash), without loading node:crypto.
  const staging = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  const moved: string[] = [];
  const createdDirs: string[] = [];
  await withSignalsTrapped(async (cancelled) => {
    const checkCancelled = () => {
      if (cancelled()) throw new CliError('cancelled', 'cancelled; nothing was written');
    };
    try {
      mkdirSync(staging);
      const staged = destinations.map(({ path, tail }) => ({ path, at: staging + tail }));
      await makeFolders(staging, staged.map(({ at }) => dirname(at)));
      // All files at once: creating a file or folder costs about a millisecond on some disks (this project's CI VM),
      // and the thread pool overlaps them.
      // Settled, not Promise.all: nothing may still be writing into the staging folder when a rollback removes it.
      const results = await Promise.allSettled(
        staged.map(async ({ path, at }) => {
          await writeNewFile(at, files.get(path) ?? '', fileMode(path));
          if (options.onFileStaged) await options.onFileStaged(path);
        }),
      );
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      checkCancelled();
      if (!existing) {
        renameSync(staging, target);
        return;
      }
      for (const { to, tail } of destinations) {
        checkCancelled();
        const dir = mkdirSync(dirname(to), { recursive: true });
        if (dir) createdDirs.push(dir);
        renameSync(staging + tail, to);
        moved.push(to);
      }
      rmSync(staging, { recursive: true, force: true });
    } catch (error) {
      // 4. Roll back: the staging folder, whatever was moved into an existing target, folders we created.
      rmSync(staging, { recursive: true, force: true });
      for (const path of moved.reverse()) rmSync(path, { force: true });
      for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
      if (createdParent) rmSync(createdParent, { recursive: true, force: true });
      if (error instanceof CliError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError('write_failed', `could not write ${label}: ${reason}; nothing was left behind`, {
        cause: error,
      });
    }
  });
}
