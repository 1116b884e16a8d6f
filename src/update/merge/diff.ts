/**
 * Line diffing for the merge (pure, no dependencies): split text into lines that keep their terminators, match
 * two line lists by longest common subsequence, and print a unified diff for `update --dry-run`.
 */

/** Lines of `text`, each with its `\n` (or `\r\n`); the last one has none when the text does not end in one. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * For every line of `a`, the index of the line of `b` it is matched with in a longest common subsequence, or -1.
 * Common head and tail are matched first, so the quadratic table only covers the changed middle.
 */
export function matchLines(a: readonly string[], b: readonly string[]): Int32Array {
  const match = new Int32Array(a.length).fill(-1);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) match[head] = head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) {
    match[a.length - 1 - tail] = b.length - 1 - tail;
    tail++;
  }
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (n === 0 || m === 0) return match;
  // Interning lines as numbers makes the table loop compare integers.
  const ids = new Map<string, number>();
  const id = (line: string) => ids.get(line) ?? (ids.set(line, ids.size), ids.size - 1);
  const x = Int32Array.from({ length: n }, (_, i) => id(a[head + i]!));
  const y = Int32Array.from({ length: m }, (_, j) => id(b[head + j]!));
  // lengths[i][j] = LCS length of x[i..] and y[j..], one flat row-major table.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        x[i] === y[j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (x[i] === y[j]) {
      match[head + i] = head + j;
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) i++;
    else j++;
  }
  return match;
}

interface Hunk {
  /** Start and length in `a`, then in `b`. */
  a: [number, number];
  b: [number, number];
}

/** The changed regions between `a` and `b`, in order. */
function changedRegions(a: readonly string[], b: readonly string[]): Hunk[] {
  const match = matchLines(a, b);
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && match[i] === j) {
      i++;
      j++;
      continue;
    }
    const startA = i;
    const startB = j;
    while (i < a.length && match[i] === -1) i++;
    const nextB = i < a.length ? match[i]! : b.length;
    j = nextB;
    hunks.push({ a: [startA, i - startA], b: [startB, nextB - startB] });
  }
  return hunks;
}

const CONTEXT = 3;

function showLine(prefix: string, line: string): string {
  return line.endsWith('\n') ? `${prefix}${line}` : `${prefix}${line}\n\\ No newline at end of file\n`;
}

/** A unified diff (`--- a/path`, `+++ b/path`, hunks with 3 lines of context); '' when the texts are equal. */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return '';
  const a = splitLines(before ?? '');
  const b = splitLines(after ?? '');
  const regions = changedRegions(a, b);
  if (regions.length === 0) return '';
  const out = [`--- ${before === undefined ? '/dev/null' : `a/${path}`}\n`, `+++ ${after === undefined ? '/dev/null' : `b/${path}`}\n`];
  // Group regions whose context overlaps into one hunk.
  for (let r = 0; r < regions.length; ) {
    let last = r;
    while (last + 1 < regions.length && regions[last + 1]!.a[0] - (regions[last]!.a[0] + regions[last]!.a[1]) <= 2 * CONTEXT) last++;
    const first = regions[r]!;
    const end = regions[last]!;
    const startA = Math.max(0, first.a[0] - CONTEXT);
    const startB = first.b[0] - (first.a[0] - startA);
    const endA = Math.min(a.length, end.a[0] + end.a[1] + CONTEXT);
    const endB = end.b[0] + end.b[1] + (endA - (end.a[0] + end.a[1]));
    const body: string[] = [];
    let i = startA;
    for (let k = r; k <= last; k++) {
      const region = regions[k]!;
      while (i < region.a[0]) body.push(showLine(' ', a[i++]!));
      for (let x = 0; x < region.a[1]; x++) body.push(showLine('-', a[region.a[0] + x]!));
      for (let y = 0; y < region.b[1]; y++) body.push(showLine('+', b[region.b[0] + y]!));
      i = region.a[0] + region.a[1];
    }
    while (i < endA) body.push(showLine(' ', a[i++]!));
    const range = (start: number, length: number) => `${length === 0 ? start : start + 1}${length === 1 ? '' : `,${length}`}`;
    out.push(`@@ -${range(startA, endA - startA)} +${range(startB, endB - startB)} @@\n`, ...body);
    r = last + 1;
  }
  return out.join('');
}
