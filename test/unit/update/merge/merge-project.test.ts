import { expect, test } from 'vitest';
import { digestOf } from '../../../../src/update/content-digest.js';
import { mergeProject } from '../../../../src/update/merge/merge-project.js';

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

test('a secret file changed on both sides is kept as it is, with the keys to copy; never merged, never conflicted', () => {
  const env = (...lines: string[]) => `${lines.join('\n')}\n`;
  const generated = env('AUTH_ISSUER=http://localhost:3001');
  const mine = env('AUTH_ISSUER=http://localhost:3001', 'AUTH_CLIENT_SECRET=s3cr3t-VALUE-123');
  const next = env('AUTH_ISSUER=https://id.example.com', 'AUTH_TOKEN_CACHE_SECONDS=60', 'BROKER_KEY=generated-key');
  const merge = mergeProject({
    base: new Map([['.env', digestOf(generated)]]),
    ours: new Map([['.env', mine]]),
    theirs: map({ '.env': next, '.env.example': env('AUTH_TOKEN_CACHE_SECONDS=60', 'BROKER_KEY=') }),
  });
  expect(merge.outcomes.find((o) => o.path === '.env')).toEqual({
    path: '.env',
    action: 'keep-secret',
    conflicts: 0,
    keysToCopy: [
      { key: 'AUTH_ISSUER', added: false },
      { key: 'AUTH_TOKEN_CACHE_SECONDS', value: '60', added: true },
      { key: 'BROKER_KEY', added: true },
    ],
  });
  expect(merge.writes.has('.env')).toBe(false);
  expect(merge.conflicted).toEqual([]);
});

test('an untouched secret file takes the update: its digest in the base is enough', () => {
  const merge = mergeProject({ base: new Map([['.env', digestOf('A=1\n')]]), ours: map({ '.env': 'A=1\n' }), theirs: map({ '.env': 'A=1\nB=2\n' }) });
  expect(merge.outcomes[0]?.action).toBe('take-theirs');
  expect(merge.writes.get('.env')).toBe('A=1\nB=2\n');
});
