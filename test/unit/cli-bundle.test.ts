import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

/**
 * Start-up cost is mostly parsing: `create` must not statically load chunks it does not need. zod (the answers-file
 * and base schemas) is for reading files back in `update` and `doctor`; execa only for installs and git.
 * Reads the built bundle (`npm test` builds it first).
 */
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(`${dist}${file}`, 'utf8').matchAll(/from\s*"\.\/([^"]+)"/g)) queue.push(match[1]!);
  }
  return seen;
}

describe('the built create command', () => {
  test('loads neither zod nor execa before it needs them', () => {
    const create = readdirSync(dist).find((file) => /^create-[A-Z0-9]+\.js$/.test(file));
    expect(create).toBeDefined();
    const loaded = [...staticGraph(create!)].map((file) => readFileSync(`${dist}${file}`, 'utf8'));
    expect(loaded.some((source) => source.includes('$ZodType'))).toBe(false);
    // `PATHEXT` is read by execa's command lookup (isexe), and by nothing on the create path.
    expect(loaded.some((source) => source.includes('PATHEXT'))).toBe(false);
    // The check itself can fail: the update command does load zod.
    const update = readdirSync(dist).find((file) => /^update-[A-Z0-9]+\.js$/.test(file))!;
    const updateGraph = [...staticGraph(update)].map((file) => readFileSync(`${dist}${file}`, 'utf8'));
    expect(updateGraph.some((source) => source.includes('$ZodType'))).toBe(true);
  });
});
