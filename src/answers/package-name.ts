import { builtinModules } from 'node:module';
import { basename, resolve } from 'node:path';

/** npm's limit on package name length. */
const MAX_NAME_LENGTH = 214;
/** Lowercase, URL-safe, optionally scoped; the same shape create-vite accepts for new packages. */
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const SCOPED = /^@[^/]+\/[^/]+$/;
const RESERVED = new Set(['node_modules', 'favicon.ico']);

/**
 * Why `name` cannot be published as a new npm package, or undefined when it can.
 * Mirrors validate-npm-package-name's rules for new packages without bundling it.
 */
export function packageNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters`;
  if (name.startsWith('.') || name.startsWith('_')) return 'must not start with . or _';
  if (name !== name.toLowerCase()) return 'must be lowercase';
  if (/\s/.test(name)) return 'must not contain spaces';
  if (RESERVED.has(name)) return 'is a reserved name';
  if (builtinModules.includes(name)) return 'is the name of a Node.js core module';
  if (!PACKAGE_NAME.test(name)) return 'may only contain a-z, 0-9, -, ., _ and ~ (and one @scope/ prefix)';
  return undefined;
}

/**
 * The npm package name for a target directory: a scoped name typed as the directory (`@acme/mcp`) is kept
 * whole, otherwise the directory's last segment (so `.` becomes the current folder's name).
 */
export function packageNameFor(dir: string, cwd: string): string {
  const trimmed = dir.replace(/[\\/]+$/, '');
  if (SCOPED.test(trimmed)) return trimmed;
  return basename(resolve(cwd, trimmed));
}
