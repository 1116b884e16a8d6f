import { describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { localAnswers } from './fixtures.js';
import { createTemplateContext } from '../../../src/render/context.js';
import { esc } from '../../../src/render/escape.js';
import { getProvider } from '../../../src/providers/index.js';
import { tokenRulesFor } from '../../../src/providers/token-rules.js';
import { versions } from '../../../src/versions.js';

const answers: Answers = { ...localAnswers, projectName: 'weather' };

describe('createTemplateContext', () => {
  test('has exactly the fields templates rely on', () => {
    const context = createTemplateContext(answers, '9.9.9');
    expect(Object.keys(context).sort()).toEqual(
      ['answers', 'broker', 'env', 'esc', 'features', 'generatorVersion', 'pm', 'provider', 'runtime', 'scopes', 'tokenRules', 'versions'].sort(),
    );
    expect(context.generatorVersion).toBe('9.9.9');
    // The answers as given, with the runtime (node when unrecorded) and the two preset-defaulted choices filled in for the templates.
    expect(context.answers).toEqual({ ...answers, runtime: 'node', tokenFormat: 'jwt', metadataShim: false, broker: false });
    expect(context.provider).toBe(getProvider('local'));
    expect(context.features).toEqual({ devAuthServer: true, introspection: false, metadataShim: false, resourceServer: true, broker: false, manualDiscovery: false });
    expect(context.broker).toBeNull();
    expect(context.tokenRules).toStrictEqual(tokenRulesFor(getProvider('local'), {}));
    expect(context.versions).toBe(versions);
    expect(context.esc).toBe(esc);
  });

  test('fills the .env defaults, with an empty audience when none was given', () => {
    expect(createTemplateContext(answers).env).toEqual({
      PORT: '3000',
      HOST: '127.0.0.1',
      MCP_SERVER_URL: 'http://localhost:3000/mcp',
      AUTH_ISSUER: 'http://localhost:3001',
      AUTH_AUDIENCE: '',
    });
    expect(createTemplateContext({ ...answers, audience: 'api://w' }).env.AUTH_AUDIENCE).toBe('api://w');
  });

  test('maps the first scope to read and the second to write, or the only one to both', () => {
    expect(createTemplateContext(answers).scopes).toEqual({ all: ['read', 'write'], read: 'read', write: 'write' });
    expect(createTemplateContext({ ...answers, scopes: ['mcp'] }).scopes).toEqual({ all: ['mcp'], read: 'mcp', write: 'mcp' });
  });

  test.each([
    ['npm', 'npm install', 'npm run dev', 'npx tsc'],
    ['pnpm', 'pnpm install', 'pnpm dev', 'pnpm exec tsc'],
    ['yarn', 'yarn', 'yarn dev', 'yarn tsc'],
    ['bun', 'bun install', 'bun run dev', 'bunx tsc'],
  ] as const)('speaks %s', (name, install, dev, exec) => {
    const { pm } = createTemplateContext({ ...answers, packageManager: name });
    expect([pm.name, pm.install, pm.run('dev'), pm.exec('tsc')]).toEqual([name, install, dev, exec]);
  });
});
