import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { answersSchema, type Answers } from '../../../src/answers/answers.js';
import { serializeAnswersFile } from '../../../src/answers/answers-file-format.js';
import { collectAnswers, type CollectInput } from '../../../src/answers/collect-answers.js';
import { parseFlags } from '../../../src/answers/flags.js';
import { validateDiscoveryUrl } from '../../../src/answers/manual-discovery.js';
import { parseUpdateArgs } from '../../../src/cli/update-flags.js';
import { CliError } from '../../../src/errors.js';
import { planFeatures, planLayers } from '../../../src/render/plan.js';
import { rawFromAnswers } from '../../../src/update/answers.js';
import { commitAll, createProject, git, read, REAL, removeProjects, runUpdate } from '../update/helpers.js';

/** The escape hatch for providers without standard discovery: `--metadata-url` / `--jwks-uri`. */
afterAll(removeProjects);
vi.setConfig({ testTimeout: 60_000 });

const base: CollectInput = { flags: { provider: 'oidc', issuer: 'https://id.example.com' }, interactive: false, cwd: '/work', env: {} };
const collect = (flags: CollectInput['flags']) => collectAnswers({ ...base, flags: { ...base.flags, ...flags } }).then((result) => result.answers);
const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const FILE = 'src/auth/manual-discovery.ts';

describe('flags', () => {
  test('--metadata-url and --jwks-uri are create and update answer flags', () => {
    expect(parseFlags(['--jwks-uri', 'https://id.example.com/keys']).answers).toEqual({ jwksUri: 'https://id.example.com/keys' });
    expect(parseFlags(['--metadata-url', 'https://id.example.com/meta']).answers).toEqual({ metadataUrl: 'https://id.example.com/meta' });
    const update = parseUpdateArgs(['--metadata-url', '']);
    expect(update.action === 'run' && update.args.answers).toEqual({ metadataUrl: '' });
  });
});

describe('answers', () => {
  test('record the one given, and nothing when neither is', async () => {
    expect(await collect({ jwksUri: 'https://id.example.com/keys' })).toMatchObject({ jwksUri: 'https://id.example.com/keys' });
    expect(await collect({ metadataUrl: 'https://id.example.com/custom/meta' })).toMatchObject({ metadataUrl: 'https://id.example.com/custom/meta' });
    const plain = await collect({});
    expect(Object.keys(plain)).not.toContain('jwksUri');
    expect(Object.keys(plain)).not.toContain('metadataUrl');
    expect(serializeAnswersFile('0.1.0', plain)).not.toMatch(/jwksUri|metadataUrl/);
  });

  test('refuse both flags at once', async () => {
    const error = await refusal(collect({ jwksUri: 'https://id.example.com/keys', metadataUrl: 'https://id.example.com/meta' }));
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(/--metadata-url and --jwks-uri contradict each other/);
  });

  test('refuse plain http to another host, and take it on loopback', async () => {
    for (const [flag, key] of [['--jwks-uri', 'jwksUri'], ['--metadata-url', 'metadataUrl']] as const) {
      const error = await refusal(collect({ [key]: 'http://id.example.com/keys' }));
      expect(error, flag).toBeInstanceOf(CliError);
      expect((error as Error).message).toContain(`${flag} must use https; http is only allowed for localhost`);
      expect(await collect({ [key]: 'http://127.0.0.1:8080/keys' })).toMatchObject({ [key]: 'http://127.0.0.1:8080/keys' });
      expect(await collect({ [key]: 'http://localhost/keys' })).toMatchObject({ [key]: 'http://localhost/keys' });
    }
  });

  test('refuse what is not a plain absolute URL', () => {
    for (const raw of ['keys', 'ftp://id.example.com/keys', 'https://id.example.com/keys?x=1', 'https://id.example.com/keys#a', 'https://u:p@id.example.com/keys', 'https://id.example.com/"keys']) {
      expect(() => validateDiscoveryUrl('--jwks-uri', raw), raw).toThrow(CliError);
    }
  });

  test('the answers file schema checks them again', () => {
    const answers = { projectName: 'app', provider: 'oidc', framework: 'express', transport: 'stateless', scopes: ['read'], issuer: 'https://id.example.com', packageManager: 'npm' };
    expect(answersSchema.safeParse({ ...answers, jwksUri: 'https://id.example.com/keys' }).success).toBe(true);
    expect(answersSchema.safeParse({ ...answers, jwksUri: 'http://id.example.com/keys' }).success).toBe(false);
    expect(answersSchema.safeParse({ ...answers, jwksUri: 'https://id.example.com/keys', metadataUrl: 'https://id.example.com/m' }).success).toBe(false);
  });
});

describe('plan', () => {
  const answers = { provider: 'oidc', framework: 'hono', tokenFormat: 'jwt', metadataShim: false } as const;
  test('adds the features/manual-discovery layer only with one of the URLs', () => {
    expect(planFeatures(answers).manualDiscovery).toBe(false);
    expect(planLayers(answers)).not.toContain('features/manual-discovery');
    expect(planLayers({ ...answers, jwksUri: 'https://id.example.com/keys' })).toContain('features/manual-discovery');
    expect(planLayers({ ...answers, metadataUrl: 'https://id.example.com/meta' })).toContain('features/manual-discovery');
  });
});

describe('update', () => {
  const recorded: Answers = { projectName: 'app', provider: 'oidc', framework: 'express', transport: 'stateless', scopes: ['read'], issuer: 'https://id.example.com', packageManager: 'npm', jwksUri: 'https://id.example.com/keys' };

  test('keeps the recorded URL, replaces it with the other flag, drops it with \'\' or another provider', () => {
    expect(rawFromAnswers(recorded, {})).toMatchObject({ jwksUri: 'https://id.example.com/keys' });
    const switched = rawFromAnswers(recorded, { metadataUrl: 'https://id.example.com/meta' });
    expect(switched).toMatchObject({ metadataUrl: 'https://id.example.com/meta' });
    expect(switched.jwksUri).toBeUndefined();
    expect(rawFromAnswers(recorded, { jwksUri: '' })).toMatchObject({ jwksUri: '' });
    expect(rawFromAnswers(recorded, { provider: 'oauth', issuer: 'https://as.example.com' }).jwksUri).toBeUndefined();
  });

  test('switches a project to --jwks-uri, to --metadata-url and back to discovery', async () => {
    const dir = await createProject(REAL, { answers: { provider: 'oidc', issuer: 'https://id.example.com' } });
    expect(existsSync(join(dir, FILE))).toBe(false);

    const toJwks = await runUpdate(dir, REAL, { answers: { jwksUri: 'https://id.example.com/keys' } });
    expect(toJwks.err).toBe('');
    expect(toJwks.code).toBe(0);
    expect(existsSync(join(dir, FILE))).toBe(true);
    expect(JSON.parse(read(dir, '.mcp-auth-server.json')).answers).toMatchObject({ jwksUri: 'https://id.example.com/keys' });
    expect(read(dir, '.env.example')).toMatch(/^AUTH_JWKS_URI=https:\/\/id\.example\.com\/keys$/m);
    expect(read(dir, 'src/start.ts')).toContain('withManualDiscovery(config.discovery, createMcpAuth, {');
    expect(read(dir, 'README.md')).toContain('### Without standard discovery');

    git(dir, 'add', '-A');
    commitAll(dir, 'jwks-uri');
    const toMetadata = await runUpdate(dir, REAL, { answers: { metadataUrl: 'https://id.example.com/custom/meta' } });
    expect(toMetadata.code).toBe(0);
    const answers = JSON.parse(read(dir, '.mcp-auth-server.json')).answers;
    expect(answers).toMatchObject({ metadataUrl: 'https://id.example.com/custom/meta' });
    expect(answers.jwksUri).toBeUndefined();
    expect(read(dir, '.env.example')).toMatch(/^AUTH_METADATA_URL=https:\/\/id\.example\.com\/custom\/meta$/m);

    git(dir, 'add', '-A');
    commitAll(dir, 'metadata-url');
    const back = await runUpdate(dir, REAL, { answers: { metadataUrl: '' } });
    expect(back.code).toBe(0);
    expect(existsSync(join(dir, FILE))).toBe(false);
    expect(read(dir, '.mcp-auth-server.json')).not.toMatch(/metadataUrl|jwksUri/);
    expect(read(dir, 'src/start.ts')).not.toContain('withManualDiscovery');
  });
});
