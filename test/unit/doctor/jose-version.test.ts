import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { versions } from '../../../src/versions.js';

/**
 * doctor runs the generated server's verifier with the jose bundled into dist/doctor.js: the generator's own jose
 * must be the range generated projects get, or doctor could accept or refuse what their servers would not.
 */
test('the jose bundled into doctor is the range generated servers depend on', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string>; dependencies?: unknown };
  expect(manifest.devDependencies['jose']).toBe(versions.jose);
  expect(manifest.dependencies).toBeUndefined();
});
