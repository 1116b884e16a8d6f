import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import {
  ANSWERS_FILE,
  parseAnswersFile,
  readAnswersFile,
  serializeAnswersFile,
} from '../../../src/answers/answers-file.js';
import { CliError } from '../../../src/errors.js';

const answers: Answers = {
  projectName: 'weather',
  provider: 'oidc',
  framework: 'hono',
  transport: 'stateful',
  scopes: ['weather:read', 'weather:write'],
  issuer: 'https://id.example.com/',
  audience: 'api://weather',
  packageManager: 'pnpm',
};

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('answers file', () => {
  test('is pretty JSON with a trailing newline and keys in schema order', () => {
    const text = serializeAnswersFile('1.2.3', answers);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "answers": {\n    "projectName": "weather",');
    expect(Object.keys(JSON.parse(text).answers)).toEqual(Object.keys(answers));
  });

  test('round-trips through the reader', async () => {
    dir = await mkdtemp(join(tmpdir(), 'answers-file-'));
    await writeFile(join(dir, ANSWERS_FILE), serializeAnswersFile('1.2.3', answers));
    expect(await readAnswersFile(dir)).toEqual({ generatorVersion: '1.2.3', answers });
  });

  test('leaves out an unset audience', () => {
    const { audience: _omitted, ...rest } = answers;
    const text = serializeAnswersFile('1.2.3', rest);
    expect(text).not.toContain('audience');
    expect(parseAnswersFile(text).answers).toEqual(rest);
  });

  test('refuses a hand-edited file with an invalid value, naming the field', () => {
    const edited = JSON.parse(serializeAnswersFile('1.2.3', answers));
    edited.answers.issuer = 'http://id.example.com';
    expect(() => parseAnswersFile(JSON.stringify(edited))).toThrow(/answers\.issuer: issuer must use https/);
  });

  test('refuses unknown keys, broken JSON and a missing file', async () => {
    const extra = { ...JSON.parse(serializeAnswersFile('1', answers)), comment: 'hi' };
    expect(() => parseAnswersFile(JSON.stringify(extra))).toThrow(CliError);
    expect(() => parseAnswersFile('{ "generatorVersion": ')).toThrow(/is not valid JSON/);
    dir = await mkdtemp(join(tmpdir(), 'answers-file-'));
    await expect(readAnswersFile(dir)).rejects.toThrow(/was this project created by create-mcp-auth-server/);
  });
});

describe('the answers file key order', () => {
  test('is exactly the schema order, so writing without zod cannot drift from reading with it', async () => {
    const { ANSWER_KEYS } = await import('../../../src/answers/answers-file-format.js');
    const { answersSchema } = await import('../../../src/answers/answers.js');
    expect([...ANSWER_KEYS]).toEqual(Object.keys(answersSchema.shape));
  });
});

describe('token format and metadata shim in the answers file', () => {
  const recorded = (extra: Record<string, unknown>) => JSON.stringify({ generatorVersion: '1.0.0', answers: { ...answers, ...extra } });

  test('are recorded after the audience when set, and a file from before them (without them) still reads', () => {
    const text = serializeAnswersFile('1.2.3', { ...answers, tokenFormat: 'opaque', metadataShim: true });
    expect(text).toContain('"audience": "api://weather",\n    "tokenFormat": "opaque",\n    "metadataShim": true,\n    "packageManager"');
    const old = parseAnswersFile(recorded({}));
    expect(old.answers).not.toHaveProperty('tokenFormat');
    expect(old.answers).not.toHaveProperty('metadataShim');
  });

  test('refuses a hand-edited format the provider cannot serve, or a value of the wrong type', () => {
    expect(() => parseAnswersFile(recorded({ provider: 'auth0', tokenFormat: 'opaque' }))).toThrow(/answers: --token-format opaque does not work with --provider auth0: Auth0 has no introspection endpoint/);
    expect(() => parseAnswersFile(recorded({ tokenFormat: 'paseto' }))).toThrow(/answers.tokenFormat/);
    expect(() => parseAnswersFile(recorded({ metadataShim: 'yes' }))).toThrow(/answers.metadataShim/);
  });
});
