import { isAbsolute, posix, relative, resolve, win32 } from 'node:path';
import { CliError } from '../errors.js';

/**
 * A generated path, checked to stay inside `targetDir`: relative, POSIX separators, no NUL, and no `..` that
 * escapes after normalization. Returns the absolute destination. Refuses instead of repairing: a bad path is a bug.
 */
export function resolveInside(targetDir: string, outputPath: string): string {
  const refuse = (why: string) =>
    new CliError('unsafe_path', `refusing to write ${JSON.stringify(outputPath)}: ${why}`);
  if (outputPath === '' || outputPath.includes('\0')) throw refuse('empty or contains NUL');
  if (outputPath.includes('\\')) throw refuse('backslashes are not portable path separators');
  if (posix.isAbsolute(outputPath) || win32.isAbsolute(outputPath) || /^[A-Za-z]:/.test(outputPath)) {
    throw refuse('absolute paths are not allowed');
  }
  const normalized = posix.normalize(outputPath);
  if (normalized === '.' || normalized === '..' || normalized.startsWith('../')) {
    throw refuse('it points outside the project directory');
  }
  const root = resolve(targetDir);
  const destination = resolve(root, normalized);
  const rel = relative(root, destination);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw refuse('it points outside the project directory');
  return destination;
}
