import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { createTemplateContext } from '../../../src/render/context.js';
import { planLayers } from '../../../src/render/plan.js';
import { renderProject } from '../../../src/render/render.js';
import { localAnswers } from '../render/fixtures.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));

// The template sorts with plain code-unit order (no ICU collator at scaffold time); npm sorts with
// localeCompare('en') when it rewrites package.json. They must agree, or the first `npm install x` reorders the file.
test.each(['express', 'hono'] as const)('%s: dependencies are in the order npm writes them', async (framework) => {
  const answers = { ...localAnswers, framework };
  const files = await renderProject(TEMPLATES, planLayers(answers), createTemplateContext(answers));
  const pkg = JSON.parse(String(files.get('package.json'))) as Record<string, Record<string, string>>;
  for (const field of ['dependencies', 'devDependencies']) {
    const names = Object.keys(pkg[field]!);
    expect(names.length).toBeGreaterThan(3);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
  }
});
