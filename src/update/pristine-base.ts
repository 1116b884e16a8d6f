/**
 * The pristine base: an exact copy of what the generator rendered last time, kept in the project as
 * `.mcp-auth-server/base.json` (committed with it). It is the "base" of every 3-way merge, so `update` works offline,
 * with any past generator version, and without git. Each file is stored as its list of lines so that the copy
 * diffs readably in git; binary files are base64. A file that may hold secrets (`.env`; see `render/secret-file.ts`)
 * is stored as its SHA-256 only: the base is committed, and that digest is all the update rules need for such a file
 * (untouched → take the new version; edited → keep it). Written by `create`, replaced only when an update completes.
 * Reading it back (with its schema) lives in `read-base.ts`, so `create` never loads zod.
 */
import { isSecretFile } from '../render/secret-file.js';
import { digestOf, type ContentDigest } from './content-digest.js';
import { splitLines } from './merge/diff.js';
import type { FileContents } from './merge/file-rule.js';

export const BASE_FILE = '.mcp-auth-server/base.json';

const NOTE =
  'Written by create-mcp-auth-server: what it generated last time, the base of the next `update` merge. Do not edit.' +
  ' Files that may hold secrets are kept as their SHA-256 only.';

const isBinary = (contents: FileContents) => typeof contents !== 'string' && contents.includes(0);

/** The base file's text for `files` (every rendered file except the answers file and the base itself). */
export function serializeBase(generatorVersion: string, files: ReadonlyMap<string, FileContents>): string {
  const stored: Record<string, string[] | { base64: string } | ContentDigest> = {};
  for (const [path, contents] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (isSecretFile(path)) stored[path] = digestOf(contents);
    else stored[path] = isBinary(contents) ? { base64: Buffer.from(contents).toString('base64') } : splitLines(contents.toString());
  }
  return `${JSON.stringify({ note: NOTE, generatorVersion, files: stored }, null, 1)}\n`;
}
