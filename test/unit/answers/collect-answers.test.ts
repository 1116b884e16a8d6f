import { describe, expect, test } from 'vitest';
import { collectAnswers, type CollectInput } from '../../../src/answers/collect-answers.js';
import { CliError } from '../../../src/errors.js';

const base: CollectInput = { flags: {}, interactive: false, cwd: '/work', env: {} };

async function errorOf(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (error instanceof CliError) return error;
  throw new Error(`expected a CliError, got ${String(error)}`);
}

describe('collectAnswers without a terminal', () => {
  test('fills every default for the local provider', async () => {
    expect(await collectAnswers(base)).toEqual({
      targetDir: 'mcp-auth-server',
      answers: {
        projectName: 'mcp-auth-server',
        provider: 'local',
        framework: 'express',
        transport: 'stateless',
        scopes: ['read', 'write'],
        issuer: 'http://localhost:3001',
        tokenFormat: 'jwt',
        metadataShim: false,
        packageManager: 'npm',
      },
    });
  });

  test('takes flags over defaults and derives the package name from the directory', async () => {
    const { answers, targetDir } = await collectAnswers({
      ...base,
      dir: 'servers/weather',
      flags: { provider: 'oidc', issuer: 'https://id.example.com/', audience: 'api://weather', scopes: 'w:read' },
    });
    expect(targetDir).toBe('servers/weather');
    expect(answers).toMatchObject({
      projectName: 'weather',
      provider: 'oidc',
      issuer: 'https://id.example.com/',
      audience: 'api://weather',
      scopes: ['w:read'],
    });
  });

  test('refuses a missing issuer for oidc with one error that names --issuer', async () => {
    const error = await errorOf(collectAnswers({ ...base, flags: { provider: 'oidc' } }));
    expect(error.code).toBe('missing_answer');
    expect(error.message).toMatch(/--provider oidc needs an issuer: pass --issuer <url>/);
  });

  test('refuses an invalid flag before asking anything', async () => {
    let asked = false;
    const error = await errorOf(
      collectAnswers({
        ...base,
        interactive: true,
        flags: { framework: 'koa' },
        ask: async () => {
          asked = true;
          return {};
        },
      }),
    );
    expect(error.message).toMatch(/framework must be one of express, hono/);
    expect(asked).toBe(false);
  });

  test('refuses a directory whose name is not a valid npm package name', async () => {
    const error = await errorOf(collectAnswers({ ...base, dir: 'My Server' }));
    expect(error.message).toMatch(/project name "My Server" is not a valid npm package name/);
  });

  test('refuses control characters anywhere in the directory, not only in its last segment', async () => {
    const error = await errorOf(collectAnswers({ ...base, dir: 'a\nb/my-app' }));
    expect(error.message).toBe('directory must not contain control characters or line breaks (got "a\\nb/my-app")');
    expect((await errorOf(collectAnswers({ ...base, dir: ' ' }))).message).toBe('directory must not be empty');
  });

  test('detects the package manager from npm_config_user_agent', async () => {
    const env = { npm_config_user_agent: 'pnpm/9.1.0 npm/? node/v20.12.0 linux x64' };
    expect((await collectAnswers({ ...base, env })).answers.packageManager).toBe('pnpm');
    expect((await collectAnswers({ ...base, env, flags: { packageManager: 'yarn' } })).answers.packageManager).toBe(
      'yarn',
    );
  });

  test('omits the audience when it is empty', async () => {
    const { answers } = await collectAnswers({ ...base, flags: { audience: '' } });
    expect('audience' in answers).toBe(false);
  });
});

describe('collectAnswers in a terminal', () => {
  test('asks only for what no flag answered, and prompt answers win over defaults', async () => {
    let known: unknown;
    const { answers, targetDir } = await collectAnswers({
      ...base,
      interactive: true,
      flags: { framework: 'hono' },
      ask: async (given) => {
        known = given;
        return { dir: 'asked', provider: 'oauth', issuer: 'https://as.example.com' };
      },
    });
    expect(known).toEqual({ framework: 'hono' });
    expect(targetDir).toBe('asked');
    expect(answers).toMatchObject({ projectName: 'asked', provider: 'oauth', framework: 'hono', issuer: 'https://as.example.com' });
  });

  test('validates prompt answers with the same validators as flags', async () => {
    const error = await errorOf(
      collectAnswers({ ...base, interactive: true, ask: async () => ({ scopes: 'offline_access' }) }),
    );
    expect(error.message).toMatch(/offline_access/);
  });

  test('lets a cancelled prompt through as a cancel', async () => {
    const error = await errorOf(
      collectAnswers({
        ...base,
        interactive: true,
        ask: async () => {
          throw new CliError('cancelled', 'cancelled; nothing was written');
        },
      }),
    );
    expect(error.exitCode).toBe(130);
  });
});
