import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { writeFiles } from '../../../src/fs/write-files.js';

/** The writer applied to an existing project (update, add tool); a new folder is covered by create/write-project.test.ts. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmas-apply-'));
  mkdirSync(join(dir, 'src/gone'), { recursive: true });
  writeFileSync(join(dir, 'keep.ts'), 'old\n');
  writeFileSync(join(dir, 'src/gone/only.ts'), 'bye\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = { label: 'the project' };

test('replaces, adds and deletes files, removing folders left empty', async () => {
  await writeFiles(dir, new Map([['keep.ts', 'new\n'], ['src/added/x.ts', 'x\n'], ['src/gone/only.ts', null], ['.env', 'A=1\n']]), options);
  expect(readFileSync(join(dir, 'keep.ts'), 'utf8')).toBe('new\n');
  expect(readFileSync(join(dir, 'src/added/x.ts'), 'utf8')).toBe('x\n');
  expect(existsSync(join(dir, 'src/gone'))).toBe(false);
  expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, 'src/added/x.ts')).mode & 0o777).toBe(0o644);
  expect(readdirSync(dir).sort()).toEqual(['.env', 'keep.ts', 'src']);
});

test('a replaced file keeps its mode (an executable script stays executable)', async () => {
  chmodSync(join(dir, 'keep.ts'), 0o755);
  await writeFiles(dir, new Map([['keep.ts', 'new\n']]), options);
  expect(statSync(join(dir, 'keep.ts')).mode & 0o777).toBe(0o755);
});

test('is all or nothing: a failure half-way leaves every file as it was', async () => {
  const writes = new Map<string, string | null>([['keep.ts', 'new\n'], ['src/gone/only.ts', null], ['z.ts', 'z\n']]);
  await expect(
    writeFiles(dir, writes, {
      ...options,
      onFileStaged: (path) => {
        if (path === 'z.ts') throw new Error('disk full');
      },
    }),
  ).rejects.toMatchObject({ code: 'write_failed', message: expect.stringContaining('it was left as it was') });
  expect(readFileSync(join(dir, 'keep.ts'), 'utf8')).toBe('old\n');
  expect(readFileSync(join(dir, 'src/gone/only.ts'), 'utf8')).toBe('bye\n');
  expect(readdirSync(dir).sort()).toEqual(['keep.ts', 'src']);
});

test('puts back the originals it already replaced when a later move fails', async () => {
  const writes = new Map<string, string | null>([['keep.ts', 'new\n'], ['src/gone/only.ts', null], ['z/new.ts', 'z\n']]);
  await expect(
    writeFiles(dir, writes, {
      ...options,
      // Once everything is staged, a file appears where a folder must go: the last move fails.
      onFileStaged: (path) => {
        if (path === 'z/new.ts') writeFileSync(join(dir, 'z'), 'in the way');
      },
    }),
  ).rejects.toMatchObject({ code: 'write_failed' });
  expect(readFileSync(join(dir, 'keep.ts'), 'utf8')).toBe('old\n');
  expect(readFileSync(join(dir, 'src/gone/only.ts'), 'utf8')).toBe('bye\n');
  expect(readdirSync(dir).sort()).toEqual(['keep.ts', 'src', 'z']);
});

test.each(['SIGINT', 'SIGTERM'] as const)('a %s during the write leaves the project as it was', async (signal) => {
  const writes = new Map<string, string | null>([['keep.ts', 'new\n'], ['src/gone/only.ts', null], ['z.ts', 'z\n']]);
  await expect(writeFiles(dir, writes, { ...options, onFileStaged: () => void process.emit(signal) })).rejects.toMatchObject({
    code: 'cancelled',
    message: 'cancelled; the project was left as it was',
  });
  expect(readFileSync(join(dir, 'keep.ts'), 'utf8')).toBe('old\n');
  expect(readdirSync(dir).sort()).toEqual(['keep.ts', 'src']);
  expect(process.listenerCount(signal)).toBe(0);
});

test('refuses to replace anything but a regular file', async () => {
  mkdirSync(join(dir, 'folder.ts'));
  await expect(writeFiles(dir, new Map([['folder.ts', 'x'], ['keep.ts', 'new\n']]), options)).rejects.toMatchObject({ code: 'write_failed', message: expect.stringContaining('folder.ts is not a regular file') });
  expect(readFileSync(join(dir, 'keep.ts'), 'utf8')).toBe('old\n');
});

test('refuses paths outside the project', async () => {
  await expect(writeFiles(dir, new Map([['../escape.ts', 'x']]), options)).rejects.toMatchObject({ code: 'unsafe_path' });
});
