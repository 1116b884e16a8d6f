/**
 * A 3-way line merge (diff3, as `git merge-file --diff3` does it), pure and without git: base is what the generator
 * rendered last time, ours is the file on disk, theirs is what the generator renders now. Changes on one side are
 * taken; the same change on both sides is taken once; different changes to the same lines become a conflict block
 * that keeps all three versions, so no line is ever dropped.
 */
import { matchLines, splitLines } from './diff.js';

/** Conflict marker labels: what a user reads in the file and in `git diff`. */
export const OURS_LABEL = 'your version';
export const BASE_LABEL = 'previous generator version';
export const THEIRS_LABEL = 'generator update';

const MARKER_SIZE = 7;
export const CONFLICT_START = `${'<'.repeat(MARKER_SIZE)} ${OURS_LABEL}`;
export const CONFLICT_BASE = `${'|'.repeat(MARKER_SIZE)} ${BASE_LABEL}`;
export const CONFLICT_SEPARATOR = '='.repeat(MARKER_SIZE);
export const CONFLICT_END = `${'>'.repeat(MARKER_SIZE)} ${THEIRS_LABEL}`;

export interface MergeResult {
  text: string;
  /** Number of conflict blocks in `text`; 0 for a clean merge. */
  conflicts: number;
}

/** One region of the merge: lines all three agree on, or a region where at least one side changed. */
type Chunk =
  | { kind: 'stable'; lines: string[] }
  | { kind: 'changed'; base: string[]; ours: string[]; theirs: string[] };

const sameLines = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((line, i) => line === b[i]);

/**
 * Splits the three versions into stable and changed chunks (Khanna, Kunal & Pierce, "A formal investigation of
 * diff3"): a stable line is a base line matched, at the same offset, in both ours and theirs.
 */
export function diff3Chunks(base: readonly string[], ours: readonly string[], theirs: readonly string[]): Chunk[] {
  const toOurs = matchLines(base, ours);
  const toTheirs = matchLines(base, theirs);
  const chunks: Chunk[] = [];
  let b = 0;
  let o = 0;
  let t = 0;
  while (b < base.length || o < ours.length || t < theirs.length) {
    // 1. Stable run: base, ours and theirs advance together.
    const stable: string[] = [];
    while (b < base.length && toOurs[b] === o && toTheirs[b] === t) {
      stable.push(base[b]!);
      b++;
      o++;
      t++;
    }
    if (stable.length > 0) {
      chunks.push({ kind: 'stable', lines: stable });
      continue;
    }
    // 2. Changed region: up to the next base line matched on both sides (or the ends).
    let next = b;
    while (next < base.length && (toOurs[next] === -1 || toTheirs[next] === -1)) next++;
    const nextOurs = next < base.length ? toOurs[next]! : ours.length;
    const nextTheirs = next < base.length ? toTheirs[next]! : theirs.length;
    chunks.push({ kind: 'changed', base: base.slice(b, next), ours: ours.slice(o, nextOurs), theirs: theirs.slice(t, nextTheirs) });
    b = next;
    o = nextOurs;
    t = nextTheirs;
  }
  return chunks;
}

/** A conflict block; a side that does not end in a newline gets one so the next marker starts its own line. */
function conflictBlock(chunk: { base: string[]; ours: string[]; theirs: string[] }, eol: string): string[] {
  const block = (lines: string[]) => {
    const copy = [...lines];
    const last = copy.length - 1;
    if (last >= 0 && !copy[last]!.endsWith('\n')) copy[last] += eol;
    return copy;
  };
  return [
    `${CONFLICT_START}${eol}`,
    ...block(chunk.ours),
    `${CONFLICT_BASE}${eol}`,
    ...block(chunk.base),
    `${CONFLICT_SEPARATOR}${eol}`,
    ...block(chunk.theirs),
    `${CONFLICT_END}${eol}`,
  ];
}

/** Merges three versions of a text file line by line. */
export function mergeText(base: string, ours: string, theirs: string): MergeResult {
  if (ours === theirs || theirs === base) return { text: ours, conflicts: 0 };
  if (ours === base) return { text: theirs, conflicts: 0 };
  const eol = ours.includes('\r\n') ? '\r\n' : '\n';
  const out: string[] = [];
  let conflicts = 0;
  for (const chunk of diff3Chunks(splitLines(base), splitLines(ours), splitLines(theirs))) {
    if (chunk.kind === 'stable') out.push(...chunk.lines);
    else if (sameLines(chunk.ours, chunk.base)) out.push(...chunk.theirs);
    else if (sameLines(chunk.theirs, chunk.base) || sameLines(chunk.ours, chunk.theirs)) out.push(...chunk.ours);
    else {
      conflicts++;
      out.push(...conflictBlock(chunk, eol));
    }
  }
  return { text: out.join(''), conflicts };
}

/**
 * A conflict marker line: ours, or the bare 7-character form git writes (`<<<<<<< HEAD`, `>>>>>>> branch`).
 * `=======` alone is not enough: Markdown uses it to underline headings.
 */
const MARKER_LINE = /^(<{7}|>{7}|\|{7})(?: |\r?$)/m;

/** Whether `text` still holds conflict markers (from a previous update or any other merge). */
export function hasConflictMarkers(text: string): boolean {
  return MARKER_LINE.test(text);
}
