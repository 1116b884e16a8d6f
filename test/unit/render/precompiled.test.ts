import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { CliError } from '../../../src/errors.js';
import { renderGenerated } from '../../../src/update/render-generated.js';
import { createTemplateContext } from '../../../src/render/context.js';
import { precompileTemplates } from '../../../src/render/precompile.js';
import { renderProject, type ProjectFiles } from '../../../src/render/render.js';
import { precompiledTemplates, templateDirectory, type PrecompiledFile, type TemplateSource } from '../../../src/render/template-source.js';
import { localAnswers, MINI_TEMPLATES } from './fixtures.js';

/**
 * The shipped CLI renders templates compiled at build time; tests and CREATE_MCP_AUTH_SERVER_TEMPLATES render them
 * from the folder. Both must write the same bytes for every kind of project.
 */
const REAL = fileURLToPath(new URL('../../../templates/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'precompiled-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What scripts/build.mjs does: compile the tree to a module, then load that module. */
async function compiled(root: string, name: string): Promise<TemplateSource> {
  const file = join(scratch, `${name}.mjs`);
  writeFileSync(file, await precompileTemplates(root));
  const { files } = (await import(pathToFileURL(file).href)) as { files: PrecompiledFile[] };
  return precompiledTemplates(files);
}

const asText = (files: ProjectFiles) => [...files].map(([path, contents]) => [path, contents.toString()]);

let real: TemplateSource;
beforeAll(async () => {
  real = await compiled(REAL, 'real');
});

const projects: Array<[string, Answers]> = [
  ['local, express, stateless', { ...localAnswers, projectName: 'same-bytes' }],
  ['local, hono, stateful', { ...localAnswers, framework: 'hono', transport: 'stateful' }],
  ['auth0 with added tools', { ...localAnswers, provider: 'auth0', issuer: 'https://tenant.us.auth0.com/', audience: 'https://api.example.com', tools: [{ name: 'get_weather.v2', scopes: ['read'], description: 'It\'s "sunny" `${x}`' }] }],
  ['entra, hono, pnpm', { ...localAnswers, framework: 'hono', provider: 'entra', issuer: 'https://login.microsoftonline.com/3f1c2a4e-1111-4a2b-9c3d-123456789abc/v2.0', audience: '7d9f4c2e-2222-4b3c-8d4e-23456789abcd', packageManager: 'pnpm' }],
  ['ory (opaque tokens)', { ...localAnswers, provider: 'ory', issuer: 'https://project.projects.oryapis.com' }],
];

describe('precompiled templates', () => {
  test.each(projects)('render exactly what the template folder renders: %s', async (_name, answers) => {
    const fromFolder = await renderGenerated(REAL, answers);
    const fromBundle = await renderGenerated(real, answers);
    expect(fromFolder.size).toBeGreaterThan(40);
    expect(asText(fromBundle)).toEqual(asText(fromFolder));
  });

  test('keep binary files byte for byte and the order files are found in', async () => {
    const mini = await compiled(fileURLToPath(MINI_TEMPLATES), 'mini');
    const context = createTemplateContext(localAnswers);
    const fromBundle = await renderProject(mini, ['base', 'framework/express'], context);
    const fromFolder = await renderProject(templateDirectory(MINI_TEMPLATES), ['base', 'framework/express'], context);
    expect(Buffer.compare(fromBundle.get('assets/logo.bin') as Buffer, fromFolder.get('assets/logo.bin') as Buffer)).toBe(0);
    expect(asText(fromBundle)).toEqual(asText(fromFolder));
    // Same first-found file, so the same message for twins.
    const twins = await renderProject(mini, ['twins'], context).catch((error: unknown) => error);
    expect((twins as CliError).message).toBe('templates twins/.x and twins/_x both produce .x');
  });

  test('still refuse <%= %> and name the template', async () => {
    const mini = await compiled(fileURLToPath(MINI_TEMPLATES), 'mini-escape');
    const error = await renderProject(mini, ['broken-escape'], createTemplateContext(localAnswers)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toMatch(/^template broken-escape\/escaped\.txt\.ejs failed to render: use <%- esc\.ts/);
  });

  test('refuse a layer they do not have', async () => {
    const error = await real.layer('framework/koa').catch((e: unknown) => e);
    expect((error as CliError).message).toBe('template layer framework/koa not found in the built-in templates');
    expect(await real.file('base/nope.ejs')).toBeUndefined();
  });
});
