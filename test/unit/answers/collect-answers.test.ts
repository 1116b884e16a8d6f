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
        runtime: 'node',
        scopes: ['read', 'write'],
        issuer: 'http://localhost:3001',
        tokenFormat: 'jwt',
        metadataShim: false,
        broker: false,
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

describe('token format and metadata shim', () => {
  const keycloak = { provider: 'keycloak', providerInputs: { 'keycloak-url': 'https://kc.example.com', 'keycloak-realm': 'mcp' } };

  test('default to the preset: its token format, the shim where its metadata omits the PKCE field', async () => {
    expect((await collectAnswers({ ...base, flags: keycloak })).answers).toMatchObject({ tokenFormat: 'jwt', metadataShim: false });
    const ory = await collectAnswers({ ...base, flags: { provider: 'ory', providerInputs: { 'ory-issuer': 'https://p.projects.oryapis.com' } } });
    expect(ory.answers).toMatchObject({ tokenFormat: 'opaque', metadataShim: false });
    const entra = await collectAnswers({
      ...base,
      flags: { provider: 'entra', broker: false, providerInputs: { 'entra-tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47', 'entra-client-id': '00001111-aaaa-2222-bbbb-3333cccc4444' } },
    });
    expect(entra.answers).toMatchObject({ tokenFormat: 'jwt', metadataShim: true, broker: false });
  });

  test('flags override the preset', async () => {
    const chosen = await collectAnswers({ ...base, flags: { ...keycloak, tokenFormat: 'opaque', metadataShim: true } });
    expect(chosen.answers).toMatchObject({ tokenFormat: 'opaque', metadataShim: true });
  });

  test('refuses a format the provider cannot serve, saying why', async () => {
    const auth0 = await errorOf(collectAnswers({ ...base, flags: { provider: 'auth0', tokenFormat: 'opaque', providerInputs: { 'auth0-domain': 'dev.us.auth0.com', 'auth0-audience': 'https://mcp.example.com/mcp' } } }));
    expect(auth0.message).toBe('--token-format opaque does not work with --provider auth0: Auth0 has no introspection endpoint: its opaque access tokens are valid only at /userinfo (give the API an audience and its tokens are JWTs)');
    const google = await errorOf(collectAnswers({ ...base, flags: { provider: 'google', broker: false, tokenFormat: 'jwt', providerInputs: { 'google-client-ids': 'x.apps.googleusercontent.com' } } }));
    expect(google.message).toMatch(/--token-format jwt does not work with --provider google: Google access tokens are always opaque/);
    // The local provider's development server issues JWTs only.
    expect((await errorOf(collectAnswers({ ...base, flags: { tokenFormat: 'opaque' } }))).message).toMatch(/--provider local: the development authorization server/);
    expect((await errorOf(collectAnswers({ ...base, flags: { tokenFormat: 'xml' } }))).message).toBe('token format must be one of jwt, opaque (got "xml")');
  });
});
