import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { serializeAnswersFile } from '../../../src/answers/answers-file.js';
import type { Answers } from '../../../src/answers/answers.js';
import { parseDoctorArgs } from '../../../src/cli/doctor-flags.js';
import { doctor } from '../../../src/doctor/run.js';
import { startGitHubLike, startOidcProvider, startRunningBroker, type StandIn } from './broker-stand-ins.js';

/**
 * `doctor` in a broker project, against real local servers: an OpenID provider without registration (oidc-provider,
 * one confidential client) and a GitHub-like token endpoint. The credentials check must tell accepted from refused
 * credentials, say which value to fix, and never print a secret.
 */
const CLIENT_ID = 'broker-app';
const CLIENT_SECRET = 'the-real-client-secret-0123456789';
const BROKER_SECRET = 'A'.repeat(20) + 'b_-'.repeat(8);
const MCP_URL = 'http://localhost:3000/mcp';
const CALLBACK = 'http://localhost:3000/oauth/callback';

let oidc: StandIn;
let github: StandIn;
beforeAll(async () => {
  [oidc, github] = await Promise.all([
    startOidcProvider({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: CALLBACK }),
    startGitHubLike({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
  ]);
}, 30_000);
afterAll(() => Promise.all([oidc.close(), github.close()]));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'doctor-broker-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const answersFor = (provider: 'google' | 'github'): Answers => ({
  projectName: 'p',
  provider,
  framework: 'express',
  transport: 'stateless',
  scopes: ['read', 'write'],
  issuer: provider === 'google' ? 'https://accounts.google.com' : 'https://github.com',
  packageManager: 'npm',
  broker: true,
});

/** Writes the project (answers file and .env from `env`) and runs doctor in it. */
async function runIn(provider: 'google' | 'github', env: Record<string, string | undefined>, argv: string[] = []): Promise<{ ready: boolean; output: string }> {
  await writeFile(join(dir, '.mcp-auth-server.json'), serializeAnswersFile('0.1.0', answersFor(provider)));
  const lines = Object.entries(env).filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${value}`);
  await writeFile(join(dir, '.env'), `${lines.join('\n')}\n`);
  const command = parseDoctorArgs(argv);
  if (command.action !== 'run') throw new Error('not a doctor run');
  const output: string[] = [];
  const logger = { info: (line: string) => output.push(line), warn: (line: string) => output.push(line) };
  const { ready } = await doctor(command.args, { cwd: dir, env: {}, logger });
  return { ready, output: output.join('\n') };
}

const oidcEnv = (overrides: Record<string, string | undefined> = {}) => ({
  AUTH_ISSUER: oidc.url,
  AUTH_CLIENT_ID: CLIENT_ID,
  AUTH_CLIENT_SECRET: CLIENT_SECRET,
  AUTH_BROKER_SECRET: BROKER_SECRET,
  MCP_SERVER_URL: MCP_URL,
  ...overrides,
});
const githubEnv = (overrides: Record<string, string | undefined> = {}) => ({
  AUTH_ISSUER: 'https://github.com',
  AUTH_CLIENT_ID: CLIENT_ID,
  AUTH_CLIENT_SECRET: CLIENT_SECRET,
  AUTH_BROKER_SECRET: BROKER_SECRET,
  AUTH_AUTHORIZATION_URL: `${github.url}/login/oauth/authorize`,
  AUTH_TOKEN_URL: `${github.url}/login/oauth/access_token`,
  AUTH_USERINFO_URL: `${github.url}/user`,
  MCP_SERVER_URL: MCP_URL,
  ...overrides,
});

/** No secret, nor any part of one long enough to matter, ever reaches the report. */
function expectNoSecret(output: string, ...secrets: string[]): void {
  for (const secret of [CLIENT_SECRET, BROKER_SECRET, ...secrets]) expect(output).not.toContain(secret.slice(0, 12));
}

describe('doctor in a broker project with an OpenID provider (oidc-provider, no registration)', () => {
  test('is ready when the provider answers, the issuer matches and the credentials are accepted; prints the callback', async () => {
    const { ready, output } = await runIn('google', oidcEnv());
    expect(output).toContain(`✓ provider reachable, issuer matches exactly: "${oidc.url}"`);
    expect(output).toContain(`✓ client credentials accepted by ${oidc.url}/token (a deliberately invalid code got invalid_grant)`);
    expect(output).toContain(`· callback URL to register at Google: ${CALLBACK}`);
    expect(output).toContain('✓ AUTH_BROKER_SECRET is set (44 characters, base64url)');
    expect(output).not.toContain('registration_endpoint');
    expect(ready).toBe(true);
    expectNoSecret(output);
  });

  test('a wrong client secret is refused, and the report says to fix AUTH_CLIENT_SECRET without printing either secret', async () => {
    const wrong = 'a-wrong-secret-that-must-not-be-printed';
    const { ready, output } = await runIn('google', oidcEnv({ AUTH_CLIENT_SECRET: wrong }));
    expect(output).toMatch(/✗ client credentials refused by .*\/token \(invalid_client/);
    expect(output).toContain('Fix AUTH_CLIENT_SECRET');
    expect(ready).toBe(false);
    expectNoSecret(output, wrong);
  });

  test('an unknown client id is refused, and the report says to fix AUTH_CLIENT_ID', async () => {
    const { ready, output } = await runIn('google', oidcEnv({ AUTH_CLIENT_ID: 'not-registered-here' }));
    expect(output).toMatch(/✗ client credentials refused/);
    expect(output).toContain('Fix AUTH_CLIENT_ID');
    expect(ready).toBe(false);
  });

  test('an issuer that differs by a trailing slash is a mismatch (the broker compares byte for byte)', async () => {
    const { ready, output } = await runIn('google', oidcEnv({ AUTH_ISSUER: `${oidc.url}/` }));
    expect(output).toContain(`✗ issuer mismatch: AUTH_ISSUER is "${oidc.url}/", the provider says "${oidc.url}"`);
    expect(ready).toBe(false);
  });

  test('a provider that is down is reported unreachable, and the credentials are not guessed at', async () => {
    const { ready, output } = await runIn('google', oidcEnv({ AUTH_ISSUER: 'http://127.0.0.1:9' }));
    expect(output).toContain('✗ the provider is unreachable at http://127.0.0.1:9/.well-known/openid-configuration');
    expect(output).not.toContain('client credentials');
    expect(ready).toBe(false);
  });

  test('a missing or short AUTH_BROKER_SECRET fails without being printed; missing client settings are named', async () => {
    const short = 'short-secret-value';
    const weak = await runIn('google', oidcEnv({ AUTH_BROKER_SECRET: short }));
    expect(weak.output).toContain(`✗ AUTH_BROKER_SECRET is not base64url of at least 32 random bytes (${short.length} characters`);
    expect(weak.ready).toBe(false);
    expectNoSecret(weak.output, short);
    const missing = await runIn('google', oidcEnv({ AUTH_BROKER_SECRET: undefined, AUTH_CLIENT_SECRET: undefined }));
    expect(missing.output).toContain('✗ AUTH_BROKER_SECRET is not set');
    expect(missing.output).toContain('✗ AUTH_CLIENT_SECRET is not set');
    expect(missing.ready).toBe(false);
  });
});

describe('doctor in a broker project with a GitHub-like provider (errors with HTTP 200)', () => {
  test('bad_verification_code means the credentials were accepted; the endpoints given by hand answer', async () => {
    const { ready, output } = await runIn('github', githubEnv());
    expect(output).toContain(`✓ AUTH_AUTHORIZATION_URL answers: ${github.url}/login/oauth/authorize → 200`);
    expect(output).toContain(`✓ AUTH_USERINFO_URL answers: ${github.url}/user → 401`);
    expect(output).toContain('✓ client credentials accepted by');
    expect(output).toContain('got bad_verification_code');
    expect(ready).toBe(true);
  });

  test('incorrect_client_credentials (with HTTP 200) means they were refused', async () => {
    const { ready, output } = await runIn('github', githubEnv({ AUTH_CLIENT_SECRET: 'not-the-secret-at-all' }));
    expect(output).toContain('✗ client credentials refused by');
    expect(output).toContain('incorrect_client_credentials');
    expect(output).toContain('Fix AUTH_CLIENT_ID or AUTH_CLIENT_SECRET');
    expect(ready).toBe(false);
    expectNoSecret(output, 'not-the-secret-at-all');
  });

  test('an endpoint nothing answers at is named', async () => {
    const { ready, output } = await runIn('github', githubEnv({ AUTH_USERINFO_URL: 'http://127.0.0.1:9/user' }));
    expect(output).toContain('✗ AUTH_USERINFO_URL does not answer: http://127.0.0.1:9/user');
    expect(ready).toBe(false);
  });
});

describe('doctor --url: the running broker', () => {
  test('passes when the metadata names the server itself and the resource metadata names the broker', async () => {
    const running = await startRunningBroker((origin) => ({ issuer: origin, authorizationServer: origin }));
    try {
      const { ready, output } = await runIn('google', oidcEnv({ MCP_SERVER_URL: `${running.url}/mcp` }), ['--url', running.url]);
      expect(output).toContain(`✓ the running server's metadata names itself as the issuer: ${running.url}`);
      expect(output).toContain(`✓ its protected resource metadata names the broker (${running.url})`);
      expect(output).toContain(`callback URL to register at Google: ${running.url}/oauth/callback`);
      expect(ready).toBe(true);
    } finally {
      await running.close();
    }
  });

  test('fails when the server names another issuer, or sends clients to the provider', async () => {
    const running = await startRunningBroker(() => ({ issuer: 'https://elsewhere.example', authorizationServer: 'https://accounts.google.com' }));
    try {
      const { ready, output } = await runIn('google', oidcEnv({ MCP_SERVER_URL: `${running.url}/mcp` }), ['--url', running.url]);
      expect(output).toContain(`✗ the running server's metadata names "https://elsewhere.example" as the issuer`);
      expect(output).toContain('MCP clients would go to https://accounts.google.com instead of this server.');
      expect(ready).toBe(false);
    } finally {
      await running.close();
    }
  });

  test('fails clearly when nothing runs there', async () => {
    const { ready, output } = await runIn('google', oidcEnv(), ['--url', 'http://127.0.0.1:9']);
    expect(output).toContain("✗ the running server has no authorization server metadata: http://127.0.0.1:9/.well-known/oauth-authorization-server");
    expect(ready).toBe(false);
  });
});
