/**
 * Reads the pristine base (see `pristine-base.ts`) back, validated against its schema. Only `update` needs this.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CliError } from '../errors.js';
import { isSecretFile } from '../render/secret-file.js';
import { digestOf, isDigest, type StoredContents } from './content-digest.js';
import { BASE_FILE } from './pristine-base.js';

const storedFileSchema = z.union([
  z.array(z.string()),
  z.strictObject({ base64: z.string() }),
  z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
]);

const baseFileSchema = z.strictObject({
  note: z.string(),
  generatorVersion: z.string().min(1),
  files: z.record(z.string(), storedFileSchema),
});

export interface PristineBase {
  generatorVersion: string;
  /** Files that may hold secrets are only digests here, even when an older base file held their contents. */
  files: Map<string, StoredContents>;
  /**
   * Files that may hold secrets whose contents this base file holds (written by an earlier version):
   * the next base file written leaves them out, and the update says that earlier commits still have them.
   */
  secretCopies: string[];
}

function toContents(stored: z.infer<typeof storedFileSchema>): StoredContents {
  if (Array.isArray(stored)) return stored.join('');
  return 'base64' in stored ? Buffer.from(stored.base64, 'base64') : stored;
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
  const files = new Map<string, StoredContents>();
  const secretCopies: string[] = [];
  for (const [path, stored] of Object.entries(parsed.data.files)) {
    const contents = toContents(stored);
    if (isSecretFile(path) && !isDigest(contents)) {
      // An earlier version stored the contents: reduced to a digest at once, so they are never merged or written back.
      secretCopies.push(path);
      files.set(path, digestOf(contents));
    } else files.set(path, contents);
  }
  return { generatorVersion: parsed.data.generatorVersion, files, secretCopies };
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
