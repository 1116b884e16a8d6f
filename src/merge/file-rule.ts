/**
 * The rule table of `update`, one file at a time (pure). Three versions of a path: base (what the generator
 * rendered last time, from the pristine copy), ours (the disk), theirs (what it renders now). `undefined` = absent.
 *
 * | base    | ours            | theirs       | action         | why                                              |
 * |---------|-----------------|--------------|----------------|--------------------------------------------------|
 * | any     | = theirs        | any          | keep           | already what the generator would write           |
 * | —       | —               | present      | add            | a new template file                              |
 * | —       | present         | present      | merge          | both created it: 3-way merge against empty base  |
 * | present | = base          | present      | take-theirs    | the user never touched it                        |
 * | present | present         | = base       | keep           | the template did not change it: the user's edit  |
 * | present | present         | ≠ base       | merge          | both changed it                                  |
 * | present | —               | present      | keep-deleted   | the user deleted it: it stays deleted            |
 * | present | = base          | —            | delete         | the template dropped it and the user never touched it |
 * | present | ≠ base          | —            | keep-removed   | the template dropped it, but the user changed it: kept |
 * | —       | present         | —            | (not ours)     | never rendered by the generator: never looked at |
 */
export type FileContents = string | Buffer;

export type FileAction = 'keep' | 'add' | 'take-theirs' | 'merge' | 'keep-deleted' | 'delete' | 'keep-removed';

export interface FileVersions {
  base: FileContents | undefined;
  ours: FileContents | undefined;
  theirs: FileContents | undefined;
}

export function sameContents(a: FileContents | undefined, b: FileContents | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}

export function decideFile({ base, ours, theirs }: FileVersions): FileAction {
  if (sameContents(ours, theirs)) return 'keep';
  if (base === undefined) return ours === undefined ? 'add' : 'merge';
  // From here on ours ≠ theirs, so at most one of them is absent.
  if (theirs === undefined) return sameContents(ours, base) ? 'delete' : 'keep-removed';
  if (ours === undefined) return 'keep-deleted';
  if (sameContents(ours, base)) return 'take-theirs';
  if (sameContents(theirs, base)) return 'keep';
  return 'merge';
}
