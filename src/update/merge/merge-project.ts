/**
 * The whole-project merge (pure): applies the rule table of `file-rule.ts` to every path the generator rendered
 * last time or renders now, and merges the files both sides changed. Returns what to write; writes nothing.
 */
import { isSecretFile } from '../../render/secret-file.js';
import { isDigest, type StoredContents } from '../content-digest.js';
import { decideFile, type FileAction, type FileContents } from './file-rule.js';
import { exampleFileFor, keysToCopy, type KeyToCopy } from './keys-to-copy.js';
import { mergeText } from './merge-file.js';
import { mergePackageJson } from './merge-package-json.js';

export interface FileOutcome {
  path: string;
  action: FileAction;
  /** Conflict blocks left in the file (merge only). */
  conflicts: number;
  /** Set when both sides changed a binary file: ours is kept and the file is reported as conflicted. */
  binary?: boolean;
  /** keep-secret only: what the new version has that the user's file lacks, for the report. */
  keysToCopy?: KeyToCopy[];
}

export interface ProjectMerge {
  /** New contents for every path whose disk contents change; `null` deletes the file. */
  writes: Map<string, FileContents | null>;
  /** One outcome per path of base ∪ theirs, sorted by path. */
  outcomes: FileOutcome[];
  /** Paths left with conflicts, sorted. */
  conflicted: string[];
  /** The three versions of every conflicted path, for marking it unmerged in git. */
  conflictVersions: Map<string, { base: FileContents | undefined; ours: FileContents; theirs: FileContents }>;
}

export interface ProjectVersions {
  /** What the generator rendered last time (the pristine base); only a digest for files that may hold secrets. */
  base: ReadonlyMap<string, StoredContents>;
  /** The disk, for the paths of base ∪ theirs that exist. */
  ours: ReadonlyMap<string, FileContents>;
  /** What the generator renders now. */
  theirs: ReadonlyMap<string, FileContents>;
}

/** Text, or undefined for a binary file (one with a NUL byte, as git decides). */
function asText(contents: FileContents | undefined): string | undefined {
  if (contents === undefined) return '';
  if (typeof contents === 'string') return contents;
  return contents.includes(0) ? undefined : contents.toString('utf8');
}

function mergeContents(path: string, base: FileContents | undefined, ours: FileContents, theirs: FileContents) {
  const [b, o, t] = [asText(base), asText(ours), asText(theirs)];
  if (b === undefined || o === undefined || t === undefined) return { text: ours, conflicts: 1, binary: true };
  const isPackageJson = path === 'package.json' || path.endsWith('/package.json');
  return (isPackageJson && base !== undefined ? mergePackageJson(b, o, t) : undefined) ?? mergeText(b, o, t);
}

/**
 * A checkout with CRLF line endings (git's core.autocrlf on Windows) would otherwise differ from the LF render on
 * every line: when ours is CRLF and the generator's versions are LF, compare and merge them as CRLF.
 */
function matchLineEndings(versions: { base: StoredContents | undefined; ours: FileContents | undefined; theirs: FileContents | undefined }) {
  const { ours } = versions;
  if (typeof ours !== 'string' || !ours.includes('\r\n')) return versions;
  const toCrlf = <T extends StoredContents | undefined>(contents: T): T =>
    typeof contents === 'string' && !contents.includes('\r\n') ? (contents.replace(/\n/g, '\r\n') as T) : contents;
  return { base: toCrlf(versions.base), ours, theirs: toCrlf(versions.theirs) };
}

export function mergeProject({ base, ours, theirs }: ProjectVersions): ProjectMerge {
  const result: ProjectMerge = { writes: new Map(), outcomes: [], conflicted: [], conflictVersions: new Map() };
  const paths = [...new Set([...base.keys(), ...theirs.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const path of paths) {
    const versions = matchLineEndings({ base: base.get(path), ours: ours.get(path), theirs: theirs.get(path) });
    const action = decideFile(versions, isSecretFile(path));
    const outcome: FileOutcome = { path, action, conflicts: 0 };
    if (action === 'add' || action === 'take-theirs') result.writes.set(path, versions.theirs!);
    else if (action === 'delete') result.writes.set(path, null);
    else if (action === 'keep-secret') {
      const example = theirs.get(exampleFileFor(path));
      outcome.keysToCopy = keysToCopy(String(versions.ours), String(versions.theirs), example === undefined ? '' : String(example));
    } else if (action === 'merge' && !isDigest(versions.base)) {
      // (decideFile never merges against a digest: that is keep-secret.)
      const merged = mergeContents(path, versions.base, versions.ours!, versions.theirs!);
      outcome.conflicts = merged.conflicts;
      if ('binary' in merged) outcome.binary = true;
      else if (merged.text !== versions.ours) result.writes.set(path, merged.text);
      if (merged.conflicts > 0) {
        result.conflicted.push(path);
        result.conflictVersions.set(path, { base: versions.base, ours: versions.ours!, theirs: versions.theirs! });
      }
    }
    result.outcomes.push(outcome);
  }
  return result;
}
