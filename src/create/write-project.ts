/**
 * `create`'s rules for its target folder, then the one transactional writer (fs/write-files.ts): an existing folder
 * must be empty unless --force, and even with --force no file is ever overwritten. Both are refused before anything
 * is written.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from '../errors.js';
import { writeFiles } from '../fs/write-files.js';
import type { ProjectFiles } from '../render/render.js';
import { resolveInside } from '../render/safe-path.js';

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

export async function writeProject(targetDir: string, files: ProjectFiles, options: WriteOptions): Promise<void> {
  const target = resolve(targetDir);
  const label = options.label ?? targetDir;
  // Checked before the folder is looked at: an unsafe path is refused whatever is on the disk.
  const destinations = [...files.keys()].map((path) => ({ path, to: resolveInside(target, path) }));

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

  // 3. Write all or nothing.
  await writeFiles(target, files, { label, ...(options.onFileStaged ? { onFileStaged: options.onFileStaged } : {}) });
}
