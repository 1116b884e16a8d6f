import { expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { createTemplateContext } from '../../../src/render/context.js';
import { planLayers } from '../../../src/render/plan.js';
import { renderProject } from '../../../src/render/render.js';

/**
 * Every file a later layer replaces in an earlier one, across the shapes of project, from the real templates: a new
 * replacement is a decision, listed here, never an accident of two layers holding the same path.
 */
const TEMPLATES = new URL('../../../templates/', import.meta.url);
const base: Answers = { projectName: 'p', provider: 'local', framework: 'express', transport: 'stateless', scopes: ['read', 'write'], issuer: 'http://localhost:3001', packageManager: 'npm' };
const shapes: Answers[] = [
  base,
  { ...base, framework: 'hono' },
  { ...base, framework: 'hono', runtime: 'bun' },
  { ...base, framework: 'hono', runtime: 'deno' },
  { ...base, framework: 'hono', runtime: 'workers' },
  { ...base, provider: 'github', issuer: 'https://github.com', broker: true },
  { ...base, framework: 'hono', provider: 'auth0', issuer: 'https://acme.auth0.com/', providerInputs: { domain: 'acme.auth0.com' }, runtime: 'workers' },
];

test('every replaced file is an intended one', async () => {
  const overrides = new Set<string>();
  for (const answers of shapes) {
    await renderProject(TEMPLATES, planLayers(answers), createTemplateContext(answers), {
      onOverride: (path, replaced, by) => overrides.add(`${path}: ${replaced} -> ${by}`),
    });
  }
  expect([...overrides].sort()).toEqual([
    // A Worker's `npm run dev`: the development authorization server beside `wrangler dev`, not the Node server.
    'dev/start.ts: features/dev-auth-server/dev/start.ts -> runtime/workers/dev/start.ts.ejs',
  ]);
});
