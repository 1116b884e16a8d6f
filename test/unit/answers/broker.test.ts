import { describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { parseAnswersFile } from '../../../src/answers/answers-file.js';
import { serializeAnswersFile } from '../../../src/answers/answers-file-format.js';
import { collectAnswers, type CollectInput } from '../../../src/answers/collect-answers.js';
import { parseFlags } from '../../../src/answers/flags.js';
import { brokerProblem, resolveChoices } from '../../../src/answers/project-choices.js';
import { CliError } from '../../../src/errors.js';
import { providers } from '../../../src/providers/index.js';

const base: CollectInput = { flags: {}, interactive: false, cwd: '/work', env: {} };
const ENTRA_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OAUTH_ENDPOINTS = {
  'authorization-url': 'https://auth.example.com/oauth/authorize',
  'token-url': 'https://auth.example.com/oauth/token',
  'userinfo-url': 'https://api.example.com/user',
};

async function errorOf(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (error instanceof CliError) return error;
  throw new Error(`expected a CliError, got ${String(error)}`);
}

describe('--broker and --no-broker', () => {
  test('are an answer switch; both at once is a contradiction', () => {
    expect(parseFlags(['--broker']).answers.broker).toBe(true);
    expect(parseFlags(['--no-broker']).answers.broker).toBe(false);
    expect(parseFlags([]).answers).not.toHaveProperty('broker');
    expect(() => parseFlags(['--broker', '--no-broker'])).toThrow(/--broker and --no-broker contradict each other/);
  });

  test('default on for the presets whose provider lets no MCP client register, off for the others', () => {
    const onByDefault = providers.filter((p) => p.broker?.default === true).map((p) => p.id).sort();
    expect(onByDefault).toEqual(['cognito', 'entra', 'fusionauth', 'github', 'google', 'okta', 'pingone']);
    // Available (off) for every preset with an OpenID issuer, and plain OAuth 2 by hand; never for local.
    const available = providers.filter((p) => p.broker !== undefined).map((p) => p.id);
    for (const id of ['oidc', 'oauth', 'logto', 'auth0', 'keycloak', 'zitadel', 'authentik', 'ory']) expect(available).toContain(id);
    expect(available).not.toContain('local');
  });

  test('the preset decides without a flag, and the flag wins', async () => {
    const entra = await collectAnswers({ ...base, flags: { provider: 'entra', providerInputs: { 'entra-tenant-id': ENTRA_TENANT } } });
    expect(entra.answers.broker).toBe(true);
    const keycloak = { provider: 'keycloak', providerInputs: { 'keycloak-url': 'https://kc.example.com', 'keycloak-realm': 'mcp' } };
    expect((await collectAnswers({ ...base, flags: keycloak })).answers.broker).toBe(false);
    expect((await collectAnswers({ ...base, flags: { ...keycloak, broker: true } })).answers.broker).toBe(true);
  });

  test('a preset without broker mode refuses --broker, GitHub refuses --no-broker, each with the reason', async () => {
    expect((await errorOf(collectAnswers({ ...base, flags: { provider: 'local', broker: true } }))).message).toMatch(
      /^--broker does not work with --provider local: its development server is the authorization server already$/,
    );
    expect((await errorOf(collectAnswers({ ...base, flags: { provider: 'scalekit', broker: true, issuer: 'https://x.scalekit.dev' } }))).message).toMatch(/--broker does not work with --provider scalekit/);
    const github = await errorOf(collectAnswers({ ...base, flags: { provider: 'github', broker: false } }));
    expect(github.message).toMatch(/^--no-broker does not work with --provider github: GitHub has no token a resource server can verify/);
    expect(brokerProblem('github', true)).toBeUndefined();
  });

  test('resource-server answers that mean nothing to a broker are refused with the reason', async () => {
    const flags = { provider: 'oidc', issuer: 'https://id.example.com', broker: true };
    expect((await errorOf(collectAnswers({ ...base, flags: { ...flags, tokenFormat: 'opaque' } }))).message).toMatch(/--token-format opaque does not work with --broker: the broker issues its own JWT access tokens/);
    expect((await errorOf(collectAnswers({ ...base, flags: { ...flags, metadataShim: true } }))).message).toMatch(/--metadata-shim does not work with --broker/);
    expect((await errorOf(collectAnswers({ ...base, flags: { ...flags, audience: 'api://x' } }))).message).toMatch(/--audience does not work with --broker/);
    // Google's opaque tokens are the provider's: as a broker the project has no token format to record.
    const google = await collectAnswers({ ...base, flags: { provider: 'google', tokenFormat: 'jwt' } });
    expect(google.answers).not.toHaveProperty('tokenFormat');
    expect(google.answers).not.toHaveProperty('metadataShim');
    expect(google.answers).not.toHaveProperty('audience');
  });

  test('a broker defaults --scopes to the server\'s own scopes, not the provider\'s suggested ones', async () => {
    const google = await collectAnswers({ ...base, flags: { provider: 'google' } });
    expect(google.answers.scopes).toEqual(['read', 'write']);
    const googleRs = await collectAnswers({ ...base, flags: { provider: 'google', broker: false, providerInputs: { 'google-client-ids': 'a.apps.googleusercontent.com' } } });
    expect(googleRs.answers.scopes).toEqual(['openid', 'email']);
  });

  test('inputs that only name the provider\'s `aud` are neither required nor recorded for a broker', async () => {
    // Google's client ids, Entra's client id and App ID URI: the broker's own tokens do not use them.
    expect((await collectAnswers({ ...base, flags: { provider: 'google' } })).answers).not.toHaveProperty('providerInputs');
    const entra = await collectAnswers({
      ...base,
      flags: { provider: 'entra', providerInputs: { 'entra-tenant-id': ENTRA_TENANT, 'entra-client-id': '00001111-aaaa-2222-bbbb-3333cccc4444' } },
    });
    expect(entra.answers.providerInputs).toEqual({ tenantId: ENTRA_TENANT });
    expect(entra.answers.issuer).toBe(`https://login.microsoftonline.com/${ENTRA_TENANT}/v2.0`);
    // Inputs that build the issuer still are required.
    expect((await errorOf(collectAnswers({ ...base, flags: { provider: 'entra' } }))).message).toMatch(/--provider entra needs --entra-tenant-id/);
  });

  test('GitHub: a broker with its endpoints in the preset and https://github.com as the label of AUTH_ISSUER', async () => {
    const { answers } = await collectAnswers({ ...base, flags: { provider: 'github' } });
    expect(answers).toMatchObject({ provider: 'github', broker: true, issuer: 'https://github.com', scopes: ['read', 'write'] });
    expect(answers).not.toHaveProperty('providerInputs');
  });

  test('plain OAuth 2: the endpoints are broker inputs, required, with `sub` as the default user id field', async () => {
    const { answers } = await collectAnswers({ ...base, flags: { provider: 'oauth', broker: true, providerInputs: OAUTH_ENDPOINTS } });
    expect(answers.providerInputs).toEqual({ authorizationUrl: OAUTH_ENDPOINTS['authorization-url'], tokenUrl: OAUTH_ENDPOINTS['token-url'], userinfoUrl: OAUTH_ENDPOINTS['userinfo-url'], userIdField: 'sub' });
    // No issuer of its own: the authorization endpoint's origin labels it, unless --issuer is given.
    expect(answers.issuer).toBe('https://auth.example.com');
    const labelled = await collectAnswers({ ...base, flags: { provider: 'oauth', broker: true, issuer: 'https://as.example.com', providerInputs: { ...OAUTH_ENDPOINTS, 'user-id-field': 'id' } } });
    expect(labelled.answers).toMatchObject({ issuer: 'https://as.example.com', providerInputs: { userIdField: 'id' } });

    const missing = await errorOf(collectAnswers({ ...base, flags: { provider: 'oauth', broker: true, issuer: 'https://as.example.com' } }));
    expect(missing.message).toMatch(/--provider oauth needs --authorization-url <url>.*--token-url <url>.*--userinfo-url <url>/);
    const insecure = await errorOf(collectAnswers({ ...base, flags: { provider: 'oauth', broker: true, providerInputs: { ...OAUTH_ENDPOINTS, 'token-url': 'http://auth.example.com/token' } } }));
    expect(insecure.message).toMatch(/^--token-url /);
  });

  test('plain OAuth 2 endpoints without --broker are refused: a resource server does not use them', async () => {
    const error = await errorOf(collectAnswers({ ...base, flags: { provider: 'oauth', issuer: 'https://as.example.com', providerInputs: OAUTH_ENDPOINTS } }));
    expect(error.message).toBe('--authorization-url is for broker mode: add --broker');
  });
});

describe('the answers file', () => {
  const answers: Answers = { projectName: 'app', provider: 'github', framework: 'express', transport: 'stateless', scopes: ['read', 'write'], issuer: 'https://github.com', broker: true, packageManager: 'npm' };

  test('records broker as a boolean, and nothing secret', () => {
    const text = serializeAnswersFile('1.0.0', answers);
    expect(JSON.parse(text).answers.broker).toBe(true);
    expect(text).not.toMatch(/SECRET|secret|clientSecret/);
    expect(parseAnswersFile(text).answers.broker).toBe(true);
  });

  test('without broker means a resource server (old projects stay what they are)', () => {
    const { broker: _broker, ...old } = { ...answers, provider: 'entra', issuer: `https://login.microsoftonline.com/${ENTRA_TENANT}/v2.0`, providerInputs: { tenantId: ENTRA_TENANT, clientId: '00001111-aaaa-2222-bbbb-3333cccc4444' } };
    const file = parseAnswersFile(JSON.stringify({ generatorVersion: '1.0.0', answers: old }));
    expect(file.answers).not.toHaveProperty('broker');
    expect(resolveChoices(file.answers).broker).toBe(false);
  });

  test('a hand-edited broker the provider cannot have is caught', () => {
    expect(() => parseAnswersFile(JSON.stringify({ generatorVersion: '1.0.0', answers: { ...answers, broker: false } }))).toThrow(/--no-broker does not work with --provider github/);
    const local = { ...answers, provider: 'local', issuer: 'http://localhost:3001' };
    expect(() => parseAnswersFile(JSON.stringify({ generatorVersion: '1.0.0', answers: local }))).toThrow(/--broker does not work with --provider local/);
  });
});
