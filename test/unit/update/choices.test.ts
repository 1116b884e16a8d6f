import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { presetChoices } from '../../../src/answers/project-choices.js';
import { renderGenerated } from '../../../src/update/render-generated.js';
import { getProvider } from '../../../src/providers/index.js';
import { presetAudience, presetIssuer } from '../../../src/providers/resolve-preset.js';
import { exampleInputs } from '../providers/example-inputs.js';
import { commitAll, createProject, edit, git, read, REAL, removeProjects, runUpdate } from './helpers.js';

afterAll(removeProjects);
// Whole projects rendered from the template folder, several times per test: seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const KEYCLOAK = { provider: 'keycloak', providerInputs: { 'keycloak-url': 'https://kc.example.com', 'keycloak-realm': 'mcp' } };
const INTROSPECTION_FILES = ['src/auth/introspection-verifier.ts', 'src/auth/call-limiter.ts', 'test/auth/introspection.test.ts'];
const answersFile = (dir: string) => JSON.parse(read(dir, '.mcp-auth-server.json')) as { generatorVersion: string; answers: Answers };

/** Answers as an answers file from before `tokenFormat` and `metadataShim` existed would hold them. */
function answersWithoutChoices(id: string): Answers {
  const preset = getProvider(id as Answers['provider']);
  const inputs = exampleInputs(preset);
  const audience = presetAudience(preset, inputs);
  return {
    projectName: 'app',
    provider: preset.id as Answers['provider'],
    framework: 'express',
    transport: 'stateless',
    scopes: ['read', 'write'],
    issuer: presetIssuer(preset, inputs) ?? preset.defaultIssuer ?? 'https://id.example.com',
    ...(audience !== undefined ? { audience } : {}),
    packageManager: 'npm',
    ...(Object.keys(inputs).length > 0 ? { providerInputs: inputs } : {}),
  };
}

describe('an answers file without tokenFormat and metadataShim', () => {
  test('renders byte for byte as with the preset’s choices written out', async () => {
    // Every kind of preset: dev server, JWT, opaque (RFC 7662 and tokeninfo), the shim on by default.
    for (const id of ['local', 'oidc', 'keycloak', 'ory', 'google', 'entra', 'cognito']) {
      const old = answersWithoutChoices(id);
      // The preset's format and shim; an answers file without `broker` means a resource server, whatever the preset.
      const explicit = { ...old, ...presetChoices(old.provider), broker: false };
      expect(await renderGenerated(REAL, old), id).toEqual(await renderGenerated(REAL, explicit));
    }
  });

  test('is current for update, which leaves the file as it is', async () => {
    const dir = await createProject(REAL, { answers: KEYCLOAK });
    const file = answersFile(dir);
    delete file.answers.tokenFormat;
    delete file.answers.metadataShim;
    writeFileSync(join(dir, '.mcp-auth-server.json'), `${JSON.stringify(file, null, 2)}\n`);
    commitAll(dir, 'answers file from before the choices');

    const check = await runUpdate(dir, REAL, { check: true });
    expect(check.out).toMatch(/is up to date/);
    expect(check.code).toBe(0);
    // A choice that is not the preset's is a real change: the introspection layer comes in and the file records it.
    const opaque = await runUpdate(dir, REAL, { answers: { tokenFormat: 'opaque' }, check: true });
    expect(opaque.code).toBe(2);
    expect(opaque.out).toMatch(/added +src\/auth\/introspection-verifier\.ts/);
  });
});

describe('update switches the token format of a keycloak project', () => {
  test('to opaque adds the introspection layer, and back to jwt removes it, keeping a file the user edited', async () => {
    const dir = await createProject(REAL, { answers: KEYCLOAK });
    expect(answersFile(dir).answers).toMatchObject({ tokenFormat: 'jwt', metadataShim: false });
    for (const path of INTROSPECTION_FILES) expect(existsSync(join(dir, path)), path).toBe(false);

    const toOpaque = await runUpdate(dir, REAL, { answers: { tokenFormat: 'opaque' } });
    expect(toOpaque.err).toBe('');
    expect(toOpaque.code).toBe(0);
    expect(toOpaque.out).toContain('tokenFormat "jwt" → "opaque"');
    for (const path of INTROSPECTION_FILES) expect(existsSync(join(dir, path)), path).toBe(true);
    expect(read(dir, 'src/start.ts')).toContain("config.tokenFormat === 'opaque'");
    expect(read(dir, 'src/config.ts')).toContain('AUTH_INTROSPECTION_CLIENT_ID');
    expect(read(dir, 'README.md')).toContain('chosen with `--token-format opaque`');
    expect(read(dir, '.env.example')).toContain('AUTH_TOKEN_FORMAT=opaque');
    // .env is still the generated one (its digest matches the record), so it gets the new settings too.
    expect(read(dir, '.env')).toMatch(/^AUTH_TOKEN_FORMAT=opaque$[^]*^AUTH_INTROSPECTION_CLIENT_ID=$/m);
    expect(answersFile(dir).answers.tokenFormat).toBe('opaque');
    git(dir, 'add', '-A');
    commitAll(dir, 'opaque tokens');

    // The user changes one introspection file; switching back deletes the others and keeps that one.
    edit(dir, 'src/auth/call-limiter.ts', (text) => `// tuned for our provider\n${text}`);
    commitAll(dir, 'tune the limiter');
    const toJwt = await runUpdate(dir, REAL, { answers: { tokenFormat: 'jwt' } });
    expect(toJwt.code).toBe(0);
    expect(toJwt.out).toContain('tokenFormat "opaque" → "jwt"');
    expect(existsSync(join(dir, 'src/auth/introspection-verifier.ts'))).toBe(false);
    expect(existsSync(join(dir, 'test/auth/introspection.test.ts'))).toBe(false);
    expect(read(dir, 'src/auth/call-limiter.ts')).toContain('// tuned for our provider');
    expect(toJwt.out).toMatch(/kept +src\/auth\/call-limiter\.ts \(the generator dropped it, but you changed it\)/);
    expect(read(dir, 'src/start.ts')).not.toContain('introspection');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).not.toContain('--token-format opaque');
    expect(answersFile(dir).answers.tokenFormat).toBe('jwt');
  });

  test('refuses a format the provider cannot serve and writes nothing', async () => {
    const dir = await createProject(REAL, { answers: { provider: 'oidc', issuer: 'https://id.example.com' } });
    const before = read(dir, '.mcp-auth-server.json');
    await expect(runUpdate(dir, REAL, { answers: { provider: 'auth0', tokenFormat: 'opaque', providerInputs: { 'auth0-domain': 'dev.us.auth0.com', 'auth0-audience': 'https://mcp.example.com/mcp' } } })).rejects.toThrow(/--token-format opaque does not work with --provider auth0/);
    expect(read(dir, '.mcp-auth-server.json')).toBe(before);
  });

  test('another provider starts from its own preset’s choices, not the recorded ones', async () => {
    const dir = await createProject(REAL, { answers: { ...KEYCLOAK, tokenFormat: 'opaque' } });
    const toAuth0 = await runUpdate(dir, REAL, { answers: { provider: 'auth0', providerInputs: { 'auth0-domain': 'dev.us.auth0.com', 'auth0-audience': 'https://mcp.example.com/mcp' } } });
    expect(toAuth0.code).toBe(0);
    expect(answersFile(dir).answers).toMatchObject({ provider: 'auth0', tokenFormat: 'jwt' });
    expect(existsSync(join(dir, 'src/auth/introspection-verifier.ts'))).toBe(false);
  });
});
