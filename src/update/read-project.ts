/** Where the project is, and what is on its disk now ("ours" in the 3-way merge). */
import { lstat, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ANSWERS_FILE } from '../answers/answers-file.js';
import { CliError } from '../errors.js';
import { resolveInside } from '../render/safe-path.js';
import type { FileContents } from './merge/file-rule.js';

/** The folder holding the answers file: `start` or the nearest parent (like git finds `.git`). */
export async function findProjectDir(start: string): Promise<string> {
  for (let dir = start; ; dir = dirname(dir)) {
    if (await lstat(join(dir, ANSWERS_FILE)).then(() => true, () => false)) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new CliError(
    'invalid_answers_file',
    `no ${ANSWERS_FILE} in ${start} or its parents: run update inside a project made by create-mcp-auth-server` +
      ' (to create a project in a folder named update or add, write ./update or ./add)',
  );
}

/** The files at `paths` that exist (text, or bytes when they hold a NUL); anything but a regular file is refused. */
export async function readDisk(projectDir: string, paths: Iterable<string>): Promise<Map<string, FileContents>> {
  const ours = new Map<string, FileContents>();
  for (const path of paths) {
    const absolute = resolveInside(projectDir, path);
    const stats = await lstat(absolute).catch(() => undefined);
    if (!stats) continue;
    if (!stats.isFile()) throw new CliError('write_failed', `${path} is not a regular file; the generator wants to manage a file there`);
    const bytes = await readFile(absolute);
    ours.set(path, bytes.includes(0) ? bytes : bytes.toString('utf8'));
  }
  return ours;
}
