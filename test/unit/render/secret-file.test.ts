import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { renderGenerated } from '../../../src/update/render-generated.js';
import { isSecretFile } from '../../../src/render/secret-file.js';
import { localAnswers } from './fixtures.js';

const REAL = new URL('../../../templates/', import.meta.url);

test.each([
  ['.env', true],
  ['.env.local', true],
  ['config/.env.production', true],
  ['dev/signing-key.secret.json', true],
  ['keys.secret', true],
  ['.dev.vars', true],
  ['.dev.vars.staging', true],
  ['.env.example', false],
  ['.envrc', false],
  ['.dev.varsity', false],
  ['.environment', false],
  ['src/env.ts', false],
  ['docs/secrets.md', false],
  ['src/secret.ts', false],
])('%s may hold secrets: %s', (path, secret) => {
  expect(isSecretFile(path)).toBe(secret);
});

test('every file of the real templates that may hold secrets is git-ignored by the generated .gitignore', async () => {
  const files = await renderGenerated(REAL, localAnswers);
  const secrets = [...files.keys()].filter(isSecretFile);
  expect(secrets).toContain('.env');
  const dir = mkdtempSync(join(tmpdir(), 'cmas-secret-'));
  try {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    writeFileSync(join(dir, '.gitignore'), String(files.get('.gitignore')));
    const ignored = execFileSync('git', ['check-ignore', '--no-index', ...secrets], { cwd: dir, encoding: 'utf8' });
    expect(ignored.split('\n').filter(Boolean).sort()).toEqual(secrets.sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
