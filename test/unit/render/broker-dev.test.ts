import { describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { createTemplateContext } from '../../../src/render/context.js';
import { planLayers } from '../../../src/render/plan.js';
import { renderProject } from '../../../src/render/render.js';

/**
 * `npm run dev` in broker projects: the broker's development half (features/broker-dev: dev/, a stand-in for the
 * provider) comes with every broker project and with no other; package.json runs it and has oidc-provider for it.
 */
const TEMPLATES = new URL('../../../templates/', import.meta.url);
const answersFor = (provider: Answers['provider'], broker: boolean): Answers => ({
  projectName: 'p', provider, framework: 'express', transport: 'stateless', scopes: ['read', 'write'],
  issuer: provider === 'github' ? 'https://github.com' : provider === 'local' ? 'http://localhost:3001' : 'https://accounts.google.com',
  packageManager: 'npm', broker,
});

async function render(answers: Answers) {
  const files = await renderProject(TEMPLATES, planLayers(answers), createTemplateContext(answers));
  const pkg = JSON.parse(String(files.get('package.json'))) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
  return { files, pkg, readme: String(files.get('README.md')) };
}

describe('the broker\'s development stand-in', () => {
  test('is a layer of every broker project, right after the broker, and of no other project', () => {
    expect(planLayers(answersFor('google', true)).slice(-2)).toEqual(['features/broker', 'features/broker-dev']);
    expect(planLayers(answersFor('github', true))).toContain('features/broker-dev');
    expect(planLayers(answersFor('google', false))).not.toContain('features/broker-dev');
    expect(planLayers(answersFor('local', false))).not.toContain('features/broker-dev');
  });

  test('npm run dev starts dev/start.ts with oidc-provider installed; the README says what it does', async () => {
    const { files, pkg, readme } = await render(answersFor('google', true));
    expect(files.has('dev/start.ts')).toBe(true);
    expect(files.has('dev/broker-dev.ts')).toBe(true);
    expect(files.has('dev/auth-server.ts')).toBe(false);
    expect(pkg.scripts['dev']).toBe('tsx watch --clear-screen=false dev/start.ts');
    expect(pkg.scripts['start']).toBe('node --enable-source-maps dist/main.js');
    expect(Object.keys(pkg.devDependencies)).toContain('oidc-provider');
    expect(readme).toContain('`npm run dev` needs no account: it starts a stand-in for Google at `http://127.0.0.1:3001`');
    expect(readme).toContain('an OpenID provider without registration');
  });

  test('GitHub-like presets get a GitHub-like stand-in, said so in the README', async () => {
    const { readme } = await render(answersFor('github', true));
    expect(readme).toContain('a stand-in for GitHub at `http://127.0.0.1:3001`');
    expect(readme).toContain('a GitHub-like OAuth 2 server');
  });

  test('a resource-server project with a real provider keeps its plain dev script and no oidc-provider', async () => {
    const { files, pkg } = await render(answersFor('google', false));
    expect(files.has('dev/start.ts')).toBe(false);
    expect(pkg.scripts['dev']).toBe('tsx watch --clear-screen=false src/main.ts');
    expect(Object.keys(pkg.devDependencies)).not.toContain('oidc-provider');
  });
});
