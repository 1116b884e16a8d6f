import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { CliError } from '../../../src/errors.js';
import { createTemplateContext } from '../../../src/render/context.js';
import { planLayers } from '../../../src/render/plan.js';
import { renderProject, toOutputPath } from '../../../src/render/render.js';
import { localAnswers, MINI_TEMPLATES } from './fixtures.js';

const render = (answers = localAnswers, layers = planLayers(answers)) =>
  renderProject(MINI_TEMPLATES, layers, createTemplateContext(answers, '0.0.0-test'));

async function errorOf(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (error instanceof CliError) return error;
  throw new Error(`expected a CliError, got ${String(error)}`);
}

describe('toOutputPath', () => {
  test('strips .ejs and turns a leading _ of any segment into a dot', () => {
    expect(toOutputPath('_gitignore')).toBe('.gitignore');
    expect(toOutputPath('_env.example.ejs')).toBe('.env.example');
    expect(toOutputPath('_github/workflows/ci.yml')).toBe('.github/workflows/ci.yml');
    expect(toOutputPath('src/my_file.ts.ejs')).toBe('src/my_file.ts');
    expect(toOutputPath('readme.ejs.md')).toBe('readme.ejs.md');
  });
});

describe('renderProject', () => {
  test('produces a sorted, deterministic file list from all layers', async () => {
    const files = await render();
    expect([...files.keys()]).toEqual([
      '.config/settings.json',
      '.env',
      '.gitignore',
      'README.md',
      'assets/logo.bin',
      'package.json',
      'src/auth/dev-server.ts',
      'src/auth/verify.ts',
      'src/config.ts',
      'src/dev.ts',
      'src/http/app.ts',
      'src/resource-server.ts',
    ]);
    expect([...(await render()).entries()]).toEqual([...files.entries()]);
  });

  test('lets a later layer replace a file of an earlier one, and reports it', async () => {
    const overrides: string[] = [];
    const files = await renderProject(MINI_TEMPLATES, planLayers(localAnswers), createTemplateContext(localAnswers), {
      onOverride: (path, replaced, by) => overrides.push(`${path}: ${replaced} -> ${by}`),
    });
    expect(files.get('src/http/app.ts')).toBe('export const framework = "express";\n');
    expect(overrides).toEqual(['src/http/app.ts: base/src/http/app.ts -> framework/express/src/http/app.ts.ejs']);
  });

  test('renders values through the escapers', async () => {
    const files = await render({ ...localAnswers, framework: 'hono', audience: "it's <x>" });
    expect(files.get('src/http/app.ts')).toBe('export const framework = "hono";\n');
    expect(files.get('src/auth/verify.ts')).toContain('export const audience = "it\'s \\u003cx>";');
    expect(files.get('.env')).toContain(`AUTH_AUDIENCE="it's <x>"\n`);
    expect(JSON.parse(String(files.get('package.json')))).toMatchObject({ name: 'mini', dependencies: { jose: '^6.2.18' } });
  });

  test('copies files without .ejs byte for byte', async () => {
    const original = await readFile(new URL('base/assets/logo.bin', MINI_TEMPLATES));
    const copied = (await render()).get('assets/logo.bin');
    expect(Buffer.isBuffer(copied)).toBe(true);
    expect(Buffer.compare(copied as Buffer, original)).toBe(0);
  });

  test('drops a rendered file that is whitespace only', async () => {
    expect((await render()).get('src/auth/dev-server.ts')).toBe('export const devAuthServer = true;\n');
    const oidc = await render({ ...localAnswers, provider: 'oidc', issuer: 'https://id.example.com' });
    expect(oidc.has('src/auth/dev-server.ts')).toBe(false);
  });

  test('refuses <%= %>, naming the template file and line', async () => {
    const error = await errorOf(render(localAnswers, ['broken-escape']));
    expect(error.code).toBe('template_error');
    expect(error.message).toMatch(/^template broken-escape\/escaped\.txt\.ejs failed to render:/);
    expect(error.message).toMatch(/escaped\.txt\.ejs:2/);
    expect(error.message).toMatch(/use <%- esc\.ts\(…\) %>/);
  });

  test('names the template file when a template uses an unknown name', async () => {
    const error = await errorOf(render(localAnswers, ['broken-reference']));
    expect(error.message).toMatch(/^template broken-reference\/undefined-name\.ts\.ejs failed to render:/);
    expect(error.message).toMatch(/notInTheContext is not defined/);
  });

  test('refuses two templates of one layer that produce the same path', async () => {
    const error = await errorOf(render(localAnswers, ['twins']));
    expect(error.message).toBe('templates twins/.x and twins/_x both produce .x');
  });

  test('refuses a missing layer', async () => {
    const error = await errorOf(render(localAnswers, ['framework/koa']));
    expect(error.message).toMatch(/^template layer framework\/koa not found/);
  });

  test('accepts the templates root as a path string as well as a URL', async () => {
    const files = await renderProject(MINI_TEMPLATES.pathname, ['base'], createTemplateContext(localAnswers));
    expect(files.has('.gitignore')).toBe(true);
  });
});
