import { describe, expect, test } from 'vitest';
import { mergePackageJson } from '../../../../src/update/merge/merge-package-json.js';

const json = (value: unknown, indent: string | number = 2) => `${JSON.stringify(value, null, indent)}\n`;

const base = { name: 'app', scripts: { dev: 'tsx src/main.ts', test: 'vitest run' }, dependencies: { jose: '^6.0.0', zod: '^4.0.0' } };

describe('mergePackageJson', () => {
  test('merges a dependency the user added with a version the generator bumped, by key', () => {
    const ours = { ...base, dependencies: { ...base.dependencies, pg: '^8.0.0' }, scripts: { ...base.scripts, lint: 'eslint .' } };
    const theirs = { ...base, dependencies: { ...base.dependencies, zod: '^4.1.0', hono: '^4.0.0' } };
    const result = mergePackageJson(json(base), json(ours), json(theirs));
    expect(result?.conflicts).toBe(0);
    expect(JSON.parse(result!.text)).toEqual({
      name: 'app',
      scripts: { dev: 'tsx src/main.ts', test: 'vitest run', lint: 'eslint .' },
      dependencies: { jose: '^6.0.0', zod: '^4.1.0', pg: '^8.0.0', hono: '^4.0.0' },
    });
  });

  test("keeps the user's key order and indentation", () => {
    const ours = { dependencies: base.dependencies, name: 'app', scripts: base.scripts, private: true };
    const theirs = { ...base, dependencies: { ...base.dependencies, zod: '^4.1.0' } };
    const result = mergePackageJson(json(base), json(ours, '\t'), json(theirs));
    expect(result!.text).toBe(json({ dependencies: { jose: '^6.0.0', zod: '^4.1.0' }, name: 'app', scripts: base.scripts, private: true }, '\t'));
  });

  test('removes a key the generator dropped when the user left it alone; a dropped key the user changed is a conflict', () => {
    const ours = { ...base, dependencies: { jose: '^6.1.0', zod: '^4.0.0' } };
    const theirs = { ...base, dependencies: { zod: '^4.0.0' }, scripts: { test: 'vitest run' } };
    const result = mergePackageJson(json(base), json(ours), json(theirs))!;
    expect(result.conflicts).toBe(1);
    expect(result.text).not.toContain('"dev"');
    expect(result.text).toContain('<<<<<<< your version\n    "jose": "^6.1.0",\n||||||| previous generator version\n    "jose": "^6.0.0",\n=======\n>>>>>>> generator update\n');
  });

  test('marks only the key both sides changed differently', () => {
    const ours = { ...base, dependencies: { ...base.dependencies, zod: '^4.0.5' }, scripts: { ...base.scripts, lint: 'x' } };
    const theirs = { ...base, dependencies: { ...base.dependencies, zod: '^4.1.0' } };
    const result = mergePackageJson(json(base), json(ours), json(theirs))!;
    expect(result.conflicts).toBe(1);
    expect(result.text).toContain('<<<<<<< your version\n    "zod": "^4.0.5"\n||||||| previous generator version\n    "zod": "^4.0.0"\n=======\n    "zod": "^4.1.0"\n>>>>>>> generator update\n');
    expect(result.text).toContain('"lint": "x"');
  });

  test('gives up (undefined) on a file that is not a JSON object, so the caller merges lines', () => {
    expect(mergePackageJson(json(base), '{ "name": ', json(base))).toBeUndefined();
  });
});
