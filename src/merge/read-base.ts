/**
 * Reads the pristine base (see `pristine-base.ts`) back, validated against its schema. Only `update` needs this.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CliError } from '../errors.js';
import type { FileContents } from './file-rule.js';
import { BASE_FILE } from './pristine-base.js';

const baseFileSchema = z.strictObject({
  note: z.string(),
  generatorVersion: z.string().min(1),
  files: z.record(z.string(), z.union([z.array(z.string()), z.strictObject({ base64: z.string() })])),
});

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
