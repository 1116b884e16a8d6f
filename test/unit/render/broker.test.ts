import { parseEnv } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, test, vi } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { createTemplateContext } from '../../../src/render/context.js';
import { planLayers } from '../../../src/render/plan.js';
import { renderProject, type ProjectFiles } from '../../../src/render/render.js';
import { getProvider, providers } from '../../../src/providers/index.js';
import { presetAudience, presetIssuer } from '../../../src/providers/resolve-preset.js';
import { exampleInputs } from '../providers/example-inputs.js';

const REAL = fileURLToPath(new URL('../../../templates/', import.meta.url));
// Whole projects rendered from the template folder: seconds on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA';
const base = { projectName: 'app', framework: 'express', transport: 'stateless', scopes: ['read', 'write'], packageManager: 'npm' } as const;
const github: Answers = { ...base, scopes: ['read', 'write'], provider: 'github', issuer: 'https://github.com', broker: true };
const entra: Answers = { ...base, scopes: ['read', 'write'], provider: 'entra', issuer: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0', broker: true, providerInputs: { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' } };
const oauth: Answers = {
  ...base,
  scopes: ['read', 'write'],
  provider: 'oauth',
  issuer: 'https://auth.example.com',
  broker: true,
  providerInputs: { authorizationUrl: 'https://auth.example.com/authorize', tokenUrl: 'https://auth.example.com/token', userinfoUrl: 'https://api.example.com/me', userIdField: 'uid' },
};

const render = (answers: Answers, secret?: string): Promise<ProjectFiles> =>
  renderProject(REAL, planLayers(answers), createTemplateContext(answers, '1.0.0', secret === undefined ? {} : { brokerSecret: secret }));
const text = (files: ProjectFiles, path: string) => files.get(path)?.toString() ?? '';

describe('the .env of a broker project', () => {
  test('holds the broker keys, the generated secret, empty app credentials, and no resource-server key', async () => {
    const env = parseEnv(text(await render(github, SECRET), '.env'));
    expect(env).toMatchObject({
      AUTH_ISSUER: 'https://github.com',
      AUTH_CLIENT_ID: '',
      AUTH_CLIENT_SECRET: '',
      AUTH_BROKER_SECRET: SECRET,
      AUTH_UPSTREAM_SCOPES: 'read:user,user:email',
      AUTH_AUTHORIZATION_URL: 'https://github.com/login/oauth/authorize',
      AUTH_TOKEN_URL: 'https://github.com/login/oauth/access_token',
      AUTH_USERINFO_URL: 'https://api.github.com/user',
      AUTH_USER_ID_FIELD: 'id',
      AUTH_UPSTREAM_PROFILE_URL: 'https://api.github.com/user',
    });
    for (const key of ['AUTH_AUDIENCE', 'AUTH_TOKEN_CACHE_SECONDS', 'AUTH_SERVER_METADATA_MIRROR', 'AUTH_TOKEN_FORMAT', 'AUTH_SERVER_METADATA_SHIM']) expect(env).not.toHaveProperty(key);
  });

  test('an OpenID upstream has no endpoints to give; Entra reads Microsoft Graph /me with offline_access for refresh tokens', async () => {
    const env = parseEnv(text(await render(entra, SECRET), '.env'));
    expect(env.AUTH_UPSTREAM_SCOPES).toBe('openid,profile,email,offline_access,User.Read');
    expect(env.AUTH_UPSTREAM_PROFILE_URL).toBe('https://graph.microsoft.com/v1.0/me');
    for (const key of ['AUTH_AUTHORIZATION_URL', 'AUTH_TOKEN_URL', 'AUTH_USERINFO_URL', 'AUTH_USER_ID_FIELD', 'AUTH_AUDIENCE']) expect(env).not.toHaveProperty(key);
  });

  test('a plain OAuth 2 upstream gets the endpoints and user id field given as flags, in .env and in provider.broker', async () => {
    const files = await render(oauth, SECRET);
    expect(parseEnv(text(files, '.env'))).toMatchObject({
      AUTH_AUTHORIZATION_URL: 'https://auth.example.com/authorize',
      AUTH_TOKEN_URL: 'https://auth.example.com/token',
      AUTH_USERINFO_URL: 'https://api.example.com/me',
      AUTH_USER_ID_FIELD: 'uid',
    });
    const context = createTemplateContext(oauth);
    expect(context.provider.broker).toMatchObject({ endpoints: { authorization: 'https://auth.example.com/authorize' }, userIdField: 'uid', profileUrl: 'https://api.example.com/me' });
    // The preset itself is untouched: the next project fills its own.
    expect(getProvider('oauth').broker?.endpoints?.authorization).toBe('{authorizationUrl}');
  });

  test('.env.example documents the same keys without any secret value; .data/ is git-ignored', async () => {
    const files = await render(github, SECRET);
    const example = text(files, '.env.example');
    const documented = parseEnv(example);
    for (const key of Object.keys(parseEnv(text(files, '.env')))) expect(documented, key).toHaveProperty(key);
    expect(documented).toMatchObject({ AUTH_BROKER_SECRET: '', AUTH_CLIENT_SECRET: '', AUTH_BROKER_STATE_FILE: '.data/broker-state.json', REDIS_URL: '' });
    expect(example).not.toContain(SECRET);
    expect(text(files, '.gitignore')).toMatch(/^\.data\/$/m);
  });

  test('the secret is only what the render is given: empty with how to make one, never invented by a render', async () => {
    const env = text(await render(github), '.env');
    expect(parseEnv(env).AUTH_BROKER_SECRET).toBe('');
    expect(env).toContain("randomBytes(32).toString('base64url')");
  });
});

describe('the README of a broker project', () => {
  test('has the broker section: setup steps with the callback URL, .env values, clients, consent, tokens, keys, state, evidence', async () => {
    const readme = text(await render(github, SECRET), 'README.md');
    expect(readme).toContain('## Sign-in through GitHub (broker mode)');
    expect(readme).toContain('Authorization callback URL http://localhost:3000/oauth/callback');
    expect(readme).toMatch(/`<origin of MCP_SERVER_URL>\/oauth\/callback`/);
    for (const heading of ['### Register the app at GitHub', '### Values for `.env`', '### How MCP clients connect', '### Consent, and what it protects', '### Tokens, revocation and signing keys', '### State, and several replicas', '### What the provider facts rest on']) {
      expect(readme).toContain(heading);
    }
    expect(readme).toMatch(/AUTH_CLIENT_ID.*AUTH_CLIENT_SECRET/);
    expect(readme).toContain('90 days');
    expect(readme).toContain('REDIS_URL');
    expect(readme).toContain('confused-deputy');
    expect(readme).toContain('the numeric `id` (`login` can change)');
    // Resource-server sections are for resource servers only.
    expect(readme).not.toContain('## Your identity provider');
    expect(readme).not.toContain('## Switch to a real identity provider');
    expect(readme).not.toContain('`AUTH_AUDIENCE`');
    expect(readme).not.toContain(SECRET);
  });

  test('Google: the extra authorization parameters for refresh tokens are said', async () => {
    const google: Answers = { ...base, scopes: ['read', 'write'], provider: 'google', issuer: 'https://accounts.google.com', broker: true };
    const readme = text(await render(google, SECRET), 'README.md');
    expect(readme).toContain('`access_type=offline` and `prompt=consent`');
    expect(readme).toContain('Authorized redirect URIs: http://localhost:3000/oauth/callback');
  });

  test('its test command stays true: the scripts table describes the tests a broker project has', async () => {
    const files = await render(github, SECRET);
    expect(text(files, 'README.md')).toContain('the broker\'s flow against local stand-ins of the provider');
    expect([...files.keys()].some((path) => path.startsWith('test/broker/'))).toBe(true);
    expect(JSON.parse(text(files, 'package.json')).scripts.test).toBe('vitest run');
  });
});

/** Answers as a project without `broker` in its answers file holds them (the example inputs of its preset). */
function resourceServerAnswers(id: string, framework: Answers['framework']): Answers {
  const preset = getProvider(id as Answers['provider']);
  const inputs = exampleInputs(preset);
  const audience = presetAudience(preset, inputs);
  return {
    ...base,
    framework,
    scopes: ['read', 'write'],
    provider: preset.id as Answers['provider'],
    issuer: presetIssuer(preset, inputs) ?? preset.defaultIssuer ?? 'https://id.example.com',
    ...(audience !== undefined ? { audience } : {}),
    ...(Object.keys(inputs).length > 0 ? { providerInputs: inputs } : {}),
  };
}

describe('a resource server (broker: false)', () => {
  test('renders byte for byte as an answers file without `broker`, for every preset, with no broker file or key', async () => {
    // `broker: false` is what every project from before broker mode means: it must render exactly as they did.
    for (const preset of providers.filter((p) => p.broker?.only === undefined)) {
      const old = resourceServerAnswers(preset.id, preset.id.length % 2 === 0 ? 'express' : 'hono');
      const files = await render(old, SECRET);
      expect(await render({ ...old, broker: false }, SECRET), preset.id).toEqual(files);
      expect([...files.keys()].filter((path) => path.includes('broker')), preset.id).toEqual([]);
      expect(text(files, '.env'), preset.id).not.toMatch(/AUTH_BROKER_SECRET|AUTH_CLIENT_SECRET|AUTH_UPSTREAM/);
      expect(text(files, '.env'), preset.id).not.toContain(SECRET);
    }
  });
});
