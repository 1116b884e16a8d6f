/**
 * The answers file's name and text. No zod here on purpose: `create` writes the file and should start fast, and its
 * answers were validated field by field already. Reading a file back (update, doctor) validates it against the
 * schema in `answers-file.ts`.
 */
import type { Answers } from './answers.js';

export const ANSWERS_FILE = '.mcp-auth-server.json';

/** The order keys are written in: the schema's order (a unit test pins the two together), so files diff cleanly. */
export const ANSWER_KEYS = [
  'projectName',
  'provider',
  'framework',
  'transport',
  'runtime',
  'scopes',
  'issuer',
  'audience',
  'tokenFormat',
  'metadataShim',
  'broker',
  'packageManager',
  'tools',
  'providerInputs',
  'metadataUrl',
  'jwksUri',
] as const satisfies readonly (keyof Answers)[];

export interface AnswersFile {
  generatorVersion: string;
  answers: Answers;
}

/** Pretty JSON with a trailing newline, keys in schema order. */
export function serializeAnswersFile(generatorVersion: string, answers: Answers): string {
  const unknown = Object.keys(answers).filter((key) => !(ANSWER_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new Error(`answers have keys the answers file does not know: ${unknown.join(', ')}`);
  const ordered = Object.fromEntries(ANSWER_KEYS.filter((key) => answers[key] !== undefined).map((key) => [key, answers[key]]));
  const file = { generatorVersion, answers: ordered };
  return `${JSON.stringify(file, null, 2)}\n`;
}
