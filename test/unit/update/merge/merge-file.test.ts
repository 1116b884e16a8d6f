import { describe, expect, test } from 'vitest';
import { hasConflictMarkers, mergeText } from '../../../../src/update/merge/merge-file.js';

const lines = (...values: string[]) => values.map((value) => `${value}\n`).join('');

describe('mergeText', () => {
  const base = lines('a', 'b', 'c', 'd', 'e', 'f', 'g');

  test('takes the generator side when the user did not change the file', () => {
    const theirs = lines('a', 'B', 'c', 'd', 'e', 'f', 'g');
    expect(mergeText(base, base, theirs)).toEqual({ text: theirs, conflicts: 0 });
  });

  test('keeps the user side when the generator did not change the file', () => {
    const ours = lines('a', 'b', 'mine', 'd', 'e', 'f', 'g');
    expect(mergeText(base, ours, base)).toEqual({ text: ours, conflicts: 0 });
  });

  test('merges changes to different lines cleanly', () => {
    const ours = lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'appended by you');
    const theirs = lines('inserted by generator', 'a', 'B', 'c', 'd', 'e', 'f', 'g');
    expect(mergeText(base, ours, theirs)).toEqual({ text: lines('inserted by generator', 'a', 'B', 'c', 'd', 'e', 'f', 'g', 'appended by you'), conflicts: 0 });
  });

  test('takes an identical change on both sides once', () => {
    const both = lines('a', 'b', 'C', 'd', 'e', 'f', 'g');
    expect(mergeText(base, both, both)).toEqual({ text: both, conflicts: 0 });
    const ours = lines('a', 'b', 'C', 'd', 'e', 'f', 'G!');
    const theirs = lines('a', 'b', 'C', 'd', 'e', 'f', 'g');
    expect(mergeText(base, ours, lines('a', 'b', 'C', 'd', 'E', 'f', 'g')).text).toBe(lines('a', 'b', 'C', 'd', 'E', 'f', 'G!'));
    expect(mergeText(base, ours, theirs).text).toBe(ours);
  });

  test('writes a labelled diff3 conflict block when both change the same lines, keeping all three versions', () => {
    const ours = lines('a', 'b', 'yours', 'd', 'e', 'f', 'g');
    const theirs = lines('a', 'b', 'generator', 'd', 'e', 'f', 'g');
    const result = mergeText(base, ours, theirs);
    expect(result.conflicts).toBe(1);
    expect(result.text).toBe(
      lines('a', 'b', '<<<<<<< your version', 'yours', '||||||| previous generator version', 'c', '=======', 'generator', '>>>>>>> generator update', 'd', 'e', 'f', 'g'),
    );
  });

  test('counts each conflicting region', () => {
    const result = mergeText(base, lines('A1', 'b', 'c', 'd', 'e', 'f', 'G1'), lines('A2', 'b', 'c', 'd', 'e', 'f', 'G2'));
    expect(result.conflicts).toBe(2);
  });

  test('treats a file both sides created as a conflict against an empty base', () => {
    const result = mergeText('', lines('mine'), lines('theirs'));
    expect(result).toEqual({ text: lines('<<<<<<< your version', 'mine', '||||||| previous generator version', '=======', 'theirs', '>>>>>>> generator update'), conflicts: 1 });
  });

  test('keeps markers on their own lines when a side has no final newline', () => {
    const result = mergeText('x', 'yours', 'theirs');
    expect(result.text).toBe(lines('<<<<<<< your version', 'yours', '||||||| previous generator version', 'x', '=======', 'theirs', '>>>>>>> generator update'));
  });

  test('keeps CRLF line endings in markers for a CRLF file', () => {
    const crlf = (...values: string[]) => values.map((value) => `${value}\r\n`).join('');
    const result = mergeText(crlf('a', 'b'), crlf('a', 'mine'), crlf('a', 'theirs'));
    expect(result.text).toBe(crlf('a', '<<<<<<< your version', 'mine', '||||||| previous generator version', 'b', '=======', 'theirs', '>>>>>>> generator update'));
  });

  test('keeps user deletions that the generator did not touch', () => {
    expect(mergeText(base, lines('a', 'b', 'f', 'g'), lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')).text).toBe(lines('a', 'b', 'f', 'g', 'h'));
  });
});

describe('hasConflictMarkers', () => {
  test('finds our markers and git’s', () => {
    expect(hasConflictMarkers(lines('x', '<<<<<<< your version', 'y'))).toBe(true);
    expect(hasConflictMarkers(lines('x', '>>>>>>> generator update'))).toBe(true);
    expect(hasConflictMarkers(lines('<<<<<<< HEAD'))).toBe(true);
    expect(hasConflictMarkers(lines('|||||||'))).toBe(true);
  });

  test('ignores Markdown underlines and markers inside a line', () => {
    expect(hasConflictMarkers(lines('Title', '=======', 'text'))).toBe(false);
    expect(hasConflictMarkers(lines('const arrow = "<<<<<<< not a marker";'))).toBe(false);
    expect(hasConflictMarkers(lines('<<<<<<<<< eight'))).toBe(false);
  });
});
