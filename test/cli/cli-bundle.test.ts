import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

/**
 * Start-up cost is mostly loading and parsing: `create` reads cli.js and create.js and nothing else it does not need.
 * zod (the answers-file and base schemas) is for reading files back in `update` and `doctor`; execa only for installs
 * and git; prompts only on a terminal. Reads the built bundle (the cli test project builds it first: test/build-cli.ts).
 */
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const read = (file: string) => readFileSync(`${dist}${file}`, 'utf8');

/** Files loaded before any code runs: `file` and what it imports statically, transitively. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of read(file).matchAll(/(?:from|import)\s*"\.\/([^"]+)"/g)) queue.push(match[1]!);
  }
  return seen;
}

const dynamicImports = (file: string) => [...new Set([...read(file).matchAll(/import\("\.\/([^"]+)"\)/g)].map((match) => match[1]))];

describe('the built CLI', () => {
  test('cli.js loads each command on demand, and create.js loads nothing else up front', () => {
    expect([...staticGraph('cli.js')]).toEqual(['cli.js']);
    expect(dynamicImports('cli.js').sort()).toEqual(['create.js', 'doctor.js', 'update.js']);
    expect([...staticGraph('create.js')]).toEqual(['create.js']);
    expect(dynamicImports('create.js').sort()).toEqual(['vendor-ejs.js', 'vendor-execa.js', 'vendor-prompts.js']);
  });

  test('create.js carries the precompiled templates and neither zod, execa nor ejs', () => {
    const create = read('create.js');
    expect(create).toContain('"base/package.json.ejs"');
    expect(create.includes('$ZodType')).toBe(false);
    // `PATHEXT` is read by execa's command lookup (isexe).
    expect(create.includes('PATHEXT')).toBe(false);
    expect(read('vendor-execa.js')).toContain('PATHEXT');
    // The check can fail: update.js reads answers back with zod, and loads execa for git up front.
    expect(read('update.js')).toContain('$ZodType');
    expect(staticGraph('update.js').has('vendor-execa.js')).toBe(true);
  });

  test('doctor.js carries the generated server\'s verifier and jose, and imports nothing but Node built-ins', () => {
    const doctor = read('doctor.js');
    // Messages of templates/auth/src/auth/token-verifier.ts and a jose error code: the verifier runs from this file.
    expect(doctor).toContain("the access token's signing key is not one of the issuer's keys");
    expect(doctor).toContain('ERR_JWKS_NO_MATCHING_KEY');
    const imported = [...doctor.matchAll(/(?:from|import)\s*\(?"([^"]+)"/g)].map((match) => match[1]!);
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((specifier) => !specifier.startsWith('node:'))).toEqual([]);
  });
});
