import { expect, test } from 'vitest';
import { mergeProject } from '../../../src/merge/merge-project.js';

const map = (entries: Record<string, string>) => new Map(Object.entries(entries));

test('applies the rule table to every path and lists conflicts with their three versions', () => {
  const base = map({ 'a.ts': 'a\n', 'b.ts': 'b1\nb2\n', 'gone.ts': 'g\n', 'mine.ts': 'm\n', 'deleted.ts': 'd\n' });
  const ours = map({ 'a.ts': 'a\n', 'b.ts': 'yours\nb2\n', 'gone.ts': 'g\n', 'mine.ts': 'm\nmore\n', own: 'never generated\n' });
  const theirs = map({ 'a.ts': 'A\n', 'b.ts': 'theirs\nb2\n', 'new.ts': 'n\n', 'deleted.ts': 'D\n' });
  const merge = mergeProject({ base, ours, theirs });
  expect(merge.outcomes.map((o) => [o.path, o.action, o.conflicts])).toEqual([
    ['a.ts', 'take-theirs', 0],
    ['b.ts', 'merge', 1],
    ['deleted.ts', 'keep-deleted', 0],
    ['gone.ts', 'delete', 0],
    ['mine.ts', 'keep-removed', 0],
    ['new.ts', 'add', 0],
  ]);
  expect(merge.writes.get('a.ts')).toBe('A\n');
  expect(merge.writes.get('gone.ts')).toBeNull();
  expect(merge.writes.get('new.ts')).toBe('n\n');
  expect(merge.writes.has('own')).toBe(false);
  expect(merge.conflicted).toEqual(['b.ts']);
  expect(merge.conflictVersions.get('b.ts')).toEqual({ base: 'b1\nb2\n', ours: 'yours\nb2\n', theirs: 'theirs\nb2\n' });
});

test('a CRLF checkout of an untouched file is not a change: it takes the update, in CRLF', () => {
  const base = map({ 'a.ts': 'one\ntwo\n' });
  const ours = map({ 'a.ts': 'one\r\ntwo\r\n' });
  const theirs = map({ 'a.ts': 'one\ntwo\nthree\n' });
  const merge = mergeProject({ base, ours, theirs });
  expect(merge.outcomes[0]?.action).toBe('take-theirs');
  expect(merge.writes.get('a.ts')).toBe('one\r\ntwo\r\nthree\r\n');
});

test('binary files changed on both sides keep yours and count as a conflict', () => {
  const bin = (...bytes: number[]) => Buffer.from([0, ...bytes]);
  const merge = mergeProject({ base: new Map([['x.bin', bin(1)]]), ours: new Map([['x.bin', bin(2)]]), theirs: new Map([['x.bin', bin(3)]]) });
  expect(merge.outcomes[0]).toMatchObject({ action: 'merge', conflicts: 1, binary: true });
  expect(merge.writes.size).toBe(0);
  expect(merge.conflicted).toEqual(['x.bin']);
});
