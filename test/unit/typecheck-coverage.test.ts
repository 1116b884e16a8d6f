import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, test } from 'vitest';

/**
 * `npm run typecheck` is the only type check tests get (vitest strips types without checking them), so every
 * TypeScript file under test/ must be in tsconfig.json: a new test folder left out would never be checked.
 */
const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

function typeScriptFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.[cm]?tsx?$/.test(entry.name))
    .map((entry) => relative(REPOSITORY, join(entry.parentPath, entry.name)));
}

test('tsconfig.json type-checks every TypeScript file under test/ (unit, cli, e2e and its helpers, fixtures)', () => {
  const { config } = ts.readConfigFile(join(REPOSITORY, 'tsconfig.json'), ts.sys.readFile);
  const checked = ts.parseJsonConfigFileContent(config, ts.sys, REPOSITORY).fileNames.map((file) => relative(REPOSITORY, file));
  const tests = typeScriptFilesUnder(join(REPOSITORY, 'test'));
  expect(tests).toContain('test/e2e/run.ts');
  expect(tests.filter((file) => !checked.includes(file))).toEqual([]);
});
