import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CliError } from '../../../src/errors.js';
import type { ProjectFiles } from '../../../src/render/render.js';
import { writeProject } from '../../../src/create/write-project.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'write-project-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const project = (): ProjectFiles =>
  new Map<string, string | Buffer>([
    ['package.json', '{}\n'],
    ['.env', 'SECRET=1\n'],
    ['src/deep/index.ts', 'export {};\n'],
    ['bin/data', Buffer.from([0, 255])],
  ]);

async function errorOf(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (error instanceof CliError) return error;
  throw new Error(`expected a CliError, got ${String(error)}`);
}

describe('writeProject', () => {
  test('creates the directory with every file, .env readable only by its owner', async () => {
    const target = join(root, 'nested', 'app');
    await writeProject(target, project(), { force: false });
    expect(await readFile(join(target, 'src/deep/index.ts'), 'utf8')).toBe('export {};\n');
    expect([...(await readFile(join(target, 'bin/data')))]).toEqual([0, 255]);
    expect((await stat(join(target, '.env'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(target, 'package.json'))).mode & 0o777).toBe(0o644);
    expect(await readdir(join(root, 'nested'))).toEqual(['app']);
  });

  test('writes into an existing empty directory, or one holding only .git', async () => {
    const target = join(root, 'app');
    await mkdir(join(target, '.git'), { recursive: true });
    await writeProject(target, project(), { force: false });
    expect((await readdir(target)).sort()).toEqual(['.env', '.git', 'bin', 'package.json', 'src']);
    expect(await readdir(root)).toEqual(['app']);
  });

  test('refuses a non-empty directory without --force, listing what is there', async () => {
    const target = join(root, 'app');
    await mkdir(target);
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) await writeFile(join(target, name), '');
    const error = await errorOf(writeProject(target, project(), { force: false }));
    expect(error.code).toBe('target_not_empty');
    expect(error.message).toBe(`${target} is not empty (a, b, c, d, e, and 2 more); choose another directory or use --force`);
    expect(await readdir(target)).toHaveLength(7);
  });

  test('with --force adds files next to the existing ones', async () => {
    const target = join(root, 'app');
    await mkdir(join(target, 'src'), { recursive: true });
    await writeFile(join(target, 'notes.txt'), 'mine');
    await writeProject(target, project(), { force: true });
    expect(await readFile(join(target, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(target, 'package.json'), 'utf8')).toBe('{}\n');
    expect(await readdir(root)).toEqual(['app']);
  });

  test('with --force still never overwrites a file, and writes nothing', async () => {
    const target = join(root, 'app');
    await mkdir(join(target, 'src/deep'), { recursive: true });
    await writeFile(join(target, 'package.json'), 'mine');
    await writeFile(join(target, 'src/deep/index.ts'), 'mine too');
    const error = await errorOf(writeProject(target, project(), { force: true }));
    expect(error.code).toBe('would_overwrite');
    expect(error.message).toBe(`would overwrite package.json, src/deep/index.ts in ${target}; move them away and retry`);
    expect(await readFile(join(target, 'package.json'), 'utf8')).toBe('mine');
    expect((await readdir(target)).sort()).toEqual(['package.json', 'src']);
    expect(await readdir(root)).toEqual(['app']);
  });

  test('leaves nothing behind when a write fails midway', async () => {
    const files = project();
    files.set('package.json/oops', 'a file cannot also be a folder'); // fails after package.json is staged
    const target = join(root, 'nested', 'app');
    const error = await errorOf(writeProject(target, files, { force: false }));
    expect(error.code).toBe('write_failed');
    expect(error.message).toMatch(/nothing was left behind$/);
    expect(await readdir(root)).toEqual([]);
  });

  test('leaves an existing directory as it was when staging fails', async () => {
    const target = join(root, 'app');
    await mkdir(target);
    await writeFile(join(target, 'keep.txt'), 'mine');
    const files = project();
    files.set('src/deep/index.ts/oops', 'x');
    await errorOf(writeProject(target, files, { force: true }));
    expect(await readdir(target)).toEqual(['keep.txt']);
    expect(await readdir(root)).toEqual(['app']);
  });

  test('takes back the files it already moved into an existing directory when a later move fails', async () => {
    const target = join(root, 'app');
    await mkdir(target);
    await writeFile(join(target, 'keep.txt'), 'mine');
    const error = await errorOf(
      writeProject(target, project(), {
        force: true,
        // Once everything is staged, something appears where the last file goes: its move fails.
        onFileStaged: async (path) => {
          if (path === 'bin/data') await mkdir(join(target, 'bin/data'), { recursive: true });
        },
      }),
    );
    expect(error.code).toBe('write_failed');
    expect((await readdir(target)).sort()).toEqual(['bin', 'keep.txt']);
    expect(await readdir(join(target, 'bin/data'))).toEqual([]);
    expect(await readdir(root)).toEqual(['app']);
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('cleans up and reports a cancel on %s during the write', async (signal) => {
    const target = join(root, 'app');
    let staged = 0;
    const error = await errorOf(
      writeProject(target, project(), {
        force: false,
        onFileStaged: () => {
          if (++staged === 2) process.emit(signal);
        },
      }),
    );
    expect(error.code).toBe('cancelled');
    expect(error.exitCode).toBe(130);
    expect(await readdir(root)).toEqual([]);
    expect(process.listenerCount(signal)).toBe(0);
  });

  test.each([
    ['/etc/passwd', /absolute paths are not allowed/],
    ['C:/Windows/x', /absolute paths are not allowed/],
    ['../escape.txt', /outside the project directory/],
    ['src/../../escape.txt', /outside the project directory/],
    ['.', /outside the project directory/],
    ['src\\..\\..\\x', /backslashes/],
    ['', /empty or contains NUL/],
  ])('refuses the output path %j before touching the disk', async (path, message) => {
    const files = project();
    files.set(path, 'x');
    const error = await errorOf(writeProject(join(root, 'app'), files, { force: false }));
    expect(error.code).toBe('unsafe_path');
    expect(error.message).toMatch(message);
    expect(await readdir(root)).toEqual([]);
  });

  test('refuses a target that is a file', async () => {
    await writeFile(join(root, 'app'), 'x');
    const error = await errorOf(writeProject(join(root, 'app'), project(), { force: true }));
    expect(error.message).toMatch(/exists and is not a directory/);
  });
});
