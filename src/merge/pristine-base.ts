/**
 * The pristine base: an exact copy of what the generator rendered last time, kept in the project as
 * `.mcp-auth-server/base.json` (committed with it). It is the "base" of every 3-way merge, so `update` works offline,
 * with any past generator version, and without git. Each file is stored as its list of lines so that the copy
 * diffs readably in git; binary files are base64. Written by `create`, replaced only when an update completes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CliError } from '../errors.js';
import { splitLines } from './diff.js';
import type { FileContents } from './file-rule.js';

export const BASE_FILE = '.mcp-auth-server/base.json';

const NOTE = 'Written by create-mcp-auth-server: what it generated last time, the base of the next `update` merge. Do not edit.';

const baseFileSchema = z.strictObject({
  note: z.string(),
  generatorVersion: z.string().min(1),
  files: z.record(z.string(), z.union([z.array(z.string()), z.strictObject({ base64: z.string() })])),
});

const isBinary = (contents: FileContents) => typeof contents !== 'string' && contents.includes(0);

/** The base file's text for `files` (every rendered file except the answers file and the base itself). */
export function serializeBase(generatorVersion: string, files: ReadonlyMap<string, FileContents>): string {
  const stored: Record<string, string[] | { base64: string }> = {};
  for (const [path, contents] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    stored[path] = isBinary(contents) ? { base64: Buffer.from(contents).toString('base64') } : splitLines(contents.toString());
  }
  return `${JSON.stringify({ note: NOTE, generatorVersion, files: stored }, null, 1)}\n`;
}

export interface PristineBase {
  generatorVersion: string;
  files: Map<string, FileContents>;
}

export function parseBase(text: string, source = BASE_FILE): PristineBase {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError('invalid_answers_file', `${source} is not valid JSON; restore it from git`, { cause: error });
  }
  const parsed = baseFileSchema.safeParse(json);
  if (!parsed.success) throw new CliError('invalid_answers_file', `${source} does not match its schema; restore it from git`);
  const files = new Map<string, FileContents>();
  for (const [path, stored] of Object.entries(parsed.data.files)) {
    files.set(path, Array.isArray(stored) ? stored.join('') : Buffer.from(stored.base64, 'base64'));
  }
  return { generatorVersion: parsed.data.generatorVersion, files };
}

/** Reads the project's pristine base; undefined when the project has none (created before it existed). */
export async function readBase(projectDir: string): Promise<PristineBase | undefined> {
  let text: string;
  try {
    text = await readFile(join(projectDir, BASE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError('invalid_answers_file', `cannot read ${BASE_FILE}`, { cause: error });
  }
  return parseBase(text, join(projectDir, BASE_FILE));
}
