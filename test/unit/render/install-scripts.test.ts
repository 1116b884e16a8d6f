import { describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { createTemplateContext } from '../../../src/render/context.js';
import { planLayers } from '../../../src/render/plan.js';
import { renderProject } from '../../../src/render/render.js';
import { runtimes } from '../../../src/stack/runtimes.js';

/**
 * Every dependency's install script is decided once (the runtimes table) and written twice: npm's `allowScripts` in
 * package.json and pnpm's `allowBuilds` in pnpm-workspace.yaml. pnpm 11 fails an install on one left undecided (a
 * Workers project's workerd did, before both came from the table), so the two must never drift apart.
 */
const TEMPLATES = new URL('../../../templates/', import.meta.url);

describe.each(runtimes.map((runtime) => runtime.id))('a %s project', (runtime) => {
  test('allows and refuses the same install scripts for npm and pnpm, as the runtimes table decides', async () => {
    const answers: Answers = { projectName: 'app', provider: 'local', framework: 'hono', transport: 'stateless', runtime, scopes: ['read'], issuer: 'http://localhost:3001', packageManager: 'pnpm' };
    const files = await renderProject(TEMPLATES, planLayers(answers), createTemplateContext(answers));
    const allowScripts = (JSON.parse(String(files.get('package.json'))) as { allowScripts: Record<string, boolean> }).allowScripts;
    const workspace = String(files.get('pnpm-workspace.yaml'));
    const allowBuilds = Object.fromEntries(
      workspace.split('allowBuilds:\n')[1]!.split('\n').filter((line) => line.startsWith('  ')).map((line) => {
        const [name, value] = line.trim().split(': ');
        return [name, value === 'true'];
      }),
    );
    expect(allowBuilds).toEqual(allowScripts);
    expect(allowScripts).toEqual(runtimes.find((row) => row.id === runtime)!.installScripts);
  });
});
