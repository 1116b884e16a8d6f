/**
 * `.mcp-auth-server.json`: where a project came from (generator version + answers), written with the project and
 * never edited by hand. A later `update` renders the recorded version with these answers as the merge base.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CliError } from '../errors.js';
import { ANSWERS_FILE, type AnswersFile } from './answers-file-format.js';
import { answersSchema } from './answers.js';

export { ANSWERS_FILE, serializeAnswersFile, type AnswersFile } from './answers-file-format.js';

export const answersFileSchema = z.strictObject({
  generatorVersion: z.string().min(1),
  answers: answersSchema,
});

/** Parses and validates the text of an answers file; `source` names it in errors. */
export function parseAnswersFile(text: string, source = ANSWERS_FILE): AnswersFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError('invalid_answers_file', `${source} is not valid JSON`, { cause: error });
  }
  const result = answersFileSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CliError('invalid_answers_file', `${source} does not match its schema: ${issues}`);
  }
  return result.data;
}

/** Reads `<projectDir>/.mcp-auth-server.json`. */
export async function readAnswersFile(projectDir: string): Promise<AnswersFile> {
  const path = join(projectDir, ANSWERS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError('invalid_answers_file', `cannot read ${path}: was this project created by create-mcp-auth-server?`, {
      cause: error,
    });
  }
  return parseAnswersFile(text, path);
}
