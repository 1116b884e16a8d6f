import { expect, test } from 'vitest';
import { decideFile, type FileAction, type FileVersions } from '../../../src/merge/file-rule.js';

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
