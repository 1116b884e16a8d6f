import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { applyWrites } from '../../../src/fs/apply-writes.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmas-apply-'));
  mkdirSync(join(dir, 'src/gone'), { recursive: true });
  writeFileSync(join(dir, 'keep.ts'), 'old\n');
  writeFileSync(join(dir, 'src/gone/only.ts'), 'bye\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('replaces, adds and deletes files, removing folders left empty', async () => {
  await applyWrites(dir, new Map([['keep.ts', 'new\n'], ['src/added/x.ts', 'x\n'], ['src/gone/only.ts', null], ['.env', 'A=1\n']]));
  expect(readFileSync(join(dir, 'keep.ts'), 'utf8')).toBe('new\n');
  expect(readFileSync(join(dir, 'src/added/x.ts'), 'utf8')).toBe('x\n');
  expect(existsSync(join(dir, 'src/gone'))).toBe(false);
  expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir).sort()).toEqual(['.env', 'keep.ts', 'src']);
});

test('is all or nothing: a failure half-way leaves every file as it was', async () => {
  const writes = new Map<string, string | null>([['keep.ts', 'new\n'], ['src/gone/only.ts', null], ['z.ts', 'z\n']]);
  await expect(
    applyWrites(dir, writes, {
      onFileStaged: (path) => {
        if (path === 'z.ts') throw new Error('disk full');
      },
    }),
  ).rejects.toMatchObject({ code: 'write_failed', message: expect.stringContaining('it was left as it was') });
  expect(readFileSync(join(dir, 'keep.ts'), 'utf8')).toBe('old\n');
  expect(readFileSync(join(dir, 'src/gone/only.ts'), 'utf8')).toBe('bye\n');
  expect(readdirSync(dir).sort()).toEqual(['keep.ts', 'src']);
});

test('refuses paths outside the project', async () => {
  await expect(applyWrites(dir, new Map([['../escape.ts', 'x']]))).rejects.toMatchObject({ code: 'unsafe_path' });
});
