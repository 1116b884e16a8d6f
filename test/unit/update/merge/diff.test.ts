import { expect, test } from 'vitest';
import { matchLines, splitLines, unifiedDiff } from '../../../../src/update/merge/diff.js';

test('splitLines keeps terminators and a last line without one', () => {
  expect(splitLines('a\nb\r\nc')).toEqual(['a\n', 'b\r\n', 'c']);
  expect(splitLines('')).toEqual([]);
});

test('matchLines finds a longest common subsequence', () => {
  const match = matchLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']);
  expect([...match]).toEqual([0, -1, 2, 3]);
});

test('unifiedDiff prints hunks with three lines of context, like diff -u', () => {
  const before = Array.from({ length: 10 }, (_, i) => `line ${i + 1}\n`).join('');
  const after = before.replace('line 5\n', 'line five\n');
  expect(unifiedDiff('f.txt', before, after)).toBe(
    '--- a/f.txt\n+++ b/f.txt\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n',
  );
});

test('unifiedDiff shows added and deleted files against /dev/null', () => {
  expect(unifiedDiff('new.ts', undefined, 'x\n')).toBe('--- /dev/null\n+++ b/new.ts\n@@ -0,0 +1 @@\n+x\n');
  expect(unifiedDiff('old.ts', 'x\ny', undefined)).toBe('--- a/old.ts\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n\\ No newline at end of file\n');
  expect(unifiedDiff('same.ts', 'x\n', 'x\n')).toBe('');
});
