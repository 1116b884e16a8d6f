/**
 * The rule table of `update`, one file at a time (pure). Three versions of a path: base (what the generator
 * rendered last time, from the pristine copy), ours (the disk), theirs (what it renders now). `undefined` = absent.
 * A file that may hold secrets (`render/secret-file.ts`) has only a digest as its base (enough for every "=" below).
 *
 * | base    | ours            | theirs       | action         | why                                              |
 * |---------|-----------------|--------------|----------------|--------------------------------------------------|
 * | any     | = theirs        | any          | keep           | already what the generator would write           |
 * | —       | —               | present      | add            | a new template file                              |
 * | present | = base          | present      | take-theirs    | the user never touched it                        |
 * | present | present         | = base       | keep           | the template did not change it: the user's edit  |
 * | any     | present (≠ base)| present (≠ base) | keep-secret | a file that may hold secrets, changed on both sides: never text-merged (conflict blocks would spread its lines to the diff, and to the git index if tracked); yours stays byte for byte and the report lists the keys the new version has that yours lacks, to copy |
 * | —       | present         | present      | merge          | both created it: 3-way merge against empty base  |
 * | present | present         | ≠ base       | merge          | both changed it                                  |
 * | present | —               | present      | keep-deleted   | the user deleted it: it stays deleted            |
 * | present | = base          | —            | delete         | the template dropped it and the user never touched it |
 * | present | ≠ base          | —            | keep-removed   | the template dropped it, but the user changed it: kept |
 * | —       | present         | —            | (not ours)     | never rendered by the generator: never looked at |
 */
import { digestOf, isDigest, type StoredContents } from '../content-digest.js';

export type FileContents = string | Buffer;

export type FileAction = 'keep' | 'add' | 'take-theirs' | 'merge' | 'keep-secret' | 'keep-deleted' | 'delete' | 'keep-removed';

export interface FileVersions {
  /** Only a digest for a file that may hold secrets (or after a base file was written by such a version). */
  base: StoredContents | undefined;
  ours: FileContents | undefined;
  theirs: FileContents | undefined;
}

export function sameContents(a: StoredContents | undefined, b: StoredContents | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (isDigest(a) || isDigest(b)) {
    const [x, y] = [isDigest(a) ? a : digestOf(a), isDigest(b) ? b : digestOf(b)];
    return x.sha256 === y.sha256;
  }
  return Buffer.from(a).equals(Buffer.from(b));
}

/**
 * The action for one path. `secret`: the file may hold secrets; a base that is only a digest cannot be merged
 * either, so it counts as secret whatever its name.
 */
export function decideFile({ base, ours, theirs }: FileVersions, secret = false): FileAction {
  const merge = secret || isDigest(base) ? 'keep-secret' : 'merge';
  if (sameContents(ours, theirs)) return 'keep';
  if (base === undefined) return ours === undefined ? 'add' : merge;
  // From here on ours ≠ theirs, so at most one of them is absent.
  if (theirs === undefined) return sameContents(ours, base) ? 'delete' : 'keep-removed';
  if (ours === undefined) return 'keep-deleted';
  if (sameContents(ours, base)) return 'take-theirs';
  if (sameContents(theirs, base)) return 'keep';
  return merge;
}
