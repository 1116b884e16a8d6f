import { describe, expect, test } from 'vitest';
import { digestOf } from '../../../../src/update/content-digest.js';
import { decideFile, sameContents, type FileAction, type FileVersions } from '../../../../src/update/merge/file-rule.js';

const [B, O, T] = ['base\n', 'ours\n', 'theirs\n'];

test.each<[string, FileVersions, FileAction]>([
  ['already what the generator writes', { base: B, ours: T, theirs: T }, 'keep'],
  ['new template file', { base: undefined, ours: undefined, theirs: T }, 'add'],
  ['new template file the user also created', { base: undefined, ours: O, theirs: T }, 'merge'],
  ['untouched by the user: take theirs', { base: B, ours: B, theirs: T }, 'take-theirs'],
  ['unchanged by the template: keep ours', { base: B, ours: O, theirs: B }, 'keep'],
  ['changed on both sides: merge', { base: B, ours: O, theirs: T }, 'merge'],
  ['deleted by the user: stays deleted', { base: B, ours: undefined, theirs: T }, 'keep-deleted'],
  ['deleted by the user, unchanged by the template', { base: B, ours: undefined, theirs: B }, 'keep-deleted'],
  ['dropped by the template, untouched by the user: deleted', { base: B, ours: B, theirs: undefined }, 'delete'],
  ['dropped by the template, changed by the user: kept', { base: B, ours: O, theirs: undefined }, 'keep-removed'],
  ['dropped by the template and deleted by the user', { base: B, ours: undefined, theirs: undefined }, 'keep'],
  ['binary, untouched by the user', { base: Buffer.from([0, 1]), ours: Buffer.from([0, 1]), theirs: Buffer.from([0, 2]) }, 'take-theirs'],
  ['a string and a buffer with the same bytes are the same', { base: B, ours: Buffer.from(B), theirs: T }, 'take-theirs'],
])('%s', (_name, versions, action) => {
  expect(decideFile(versions)).toBe(action);
});

describe('a file that may hold secrets: never merged; its base may be only a digest', () => {
  const digest = digestOf(B);
  test.each<[string, FileVersions, FileAction]>([
    ['changed on both sides: yours kept', { base: B, ours: O, theirs: T }, 'keep-secret'],
    ['changed on both sides, digest base: yours kept', { base: digest, ours: O, theirs: T }, 'keep-secret'],
    ['created on both sides: yours kept', { base: undefined, ours: O, theirs: T }, 'keep-secret'],
    ['untouched (digest = yours): take theirs', { base: digest, ours: B, theirs: T }, 'take-theirs'],
    ['unchanged by the template: keep yours', { base: digest, ours: O, theirs: B }, 'keep'],
    ['already what the generator writes', { base: digest, ours: T, theirs: T }, 'keep'],
    ['new template file', { base: undefined, ours: undefined, theirs: T }, 'add'],
    ['deleted by you: stays deleted', { base: digest, ours: undefined, theirs: T }, 'keep-deleted'],
    ['dropped by the template, untouched: deleted', { base: digest, ours: B, theirs: undefined }, 'delete'],
    ['dropped by the template, changed by you: kept', { base: digest, ours: O, theirs: undefined }, 'keep-removed'],
  ])('%s', (_name, versions, action) => {
    expect(decideFile(versions, true)).toBe(action);
  });

  test('a digest base is never merged, whatever the file is called', () => {
    expect(decideFile({ base: digestOf(B), ours: O, theirs: T })).toBe('keep-secret');
  });

  test('a digest equals the contents it was made from, as text or bytes, and nothing else', () => {
    expect(sameContents(digestOf(B), B)).toBe(true);
    expect(sameContents(Buffer.from(B), digestOf(B))).toBe(true);
    expect(sameContents(digestOf(B), digestOf(B))).toBe(true);
    expect(sameContents(digestOf(B), O)).toBe(false);
    expect(sameContents(digestOf(B), undefined)).toBe(false);
  });
});
