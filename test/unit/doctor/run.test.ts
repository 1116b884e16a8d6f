import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { serializeAnswersFile } from '../../../src/answers/answers-file.js';
import { parseDoctorArgs } from '../../../src/cli/doctor-flags.js';
import { doctor } from '../../../src/doctor/run.js';
import { clientProbeOrder } from '../../../src/doctor/provider-checks.js';

/**
 * `doctor` against local stand-ins of a provider, one quirk at a time: a well-behaved one (ready), an issuer
 * mismatch, no PKCE field, no registration, a JWKS that is down or empty; plus sample tokens, good and bad.
 */
interface Quirks {
  issuer?: string;
  noPkce?: boolean;
  noRegistration?: boolean;
  jwksStatus?: number;
  emptyJwks?: boolean;
  /** Serve metadata only at the path-appended OIDC location (Entra, Okta, Cognito style). */
  pathAppendedOnly?: boolean;
  /** Serve RFC 8414 metadata only under the issuer path, `{issuer}/.well-known/oauth-authorization-server` (Better Auth without its root route). */
  suffixOnly?: boolean;
  /** Answer authorization requests of registered clients with `invalid_target` (Better Auth without clientRegistrationDefaultResources). */
  unlinkedResource?: boolean;
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
let quirks: Quirks = {};
/** What the stand-in saw of doctor's probe client: registrations, and the last authorization request's query. */
let probe: { registrations: number; authorization?: URLSearchParams } = { registrations: 0 };
let server: Server;
let base = '';
const issuerPath = '/tenant/v2';
const issuer = () => `${base}${issuerPath}`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    const metadata = {
      issuer: quirks.issuer ?? issuer(),
      authorization_endpoint: `${issuer()}/authorize`,
      token_endpoint: `${issuer()}/token`,
      jwks_uri: `${base}/keys`,
      ...(quirks.noPkce ? {} : { code_challenge_methods_supported: ['S256'] }),
      ...(quirks.noRegistration ? {} : { registration_endpoint: `${issuer()}/register` }),
      scopes_supported: ['openid', 'read', 'write'],
    };
    const appended = req.url === `${issuerPath}/.well-known/openid-configuration`;
    const inserted = req.url === `/.well-known/oauth-authorization-server${issuerPath}`;
    const suffix = req.url === `${issuerPath}/.well-known/oauth-authorization-server`;
    if (quirks.suffixOnly) {
      if (suffix) return json(200, metadata);
    } else if (appended || (inserted && !quirks.pathAppendedOnly)) return json(200, metadata);
    if (req.method === 'POST' && req.url === `${issuerPath}/register`) {
      probe.registrations++;
      return json(201, { client_id: `probe-${probe.registrations}` });
    }
    if (req.url?.startsWith(`${issuerPath}/authorize?`)) {
      const query = new URL(req.url, base).searchParams;
      probe.authorization = query;
      const location = quirks.unlinkedResource
        ? `${query.get('redirect_uri')}?${new URLSearchParams({ error: 'invalid_target', error_description: `client ${query.get('client_id')} is not linked to resource(s) ${query.get('resource')}`, state: query.get('state') ?? '' })}`
        : `${base}/sign-in?${query}`;
      // As Better Auth answers a request that is not a browser navigation: the redirect as JSON.
      return json(200, { redirect: true, url: location });
    }
    if (req.url === '/keys') {
      if (quirks.jwksStatus) return json(quirks.jwksStatus, { error: 'down' });
      return json(200, { keys: quirks.emptyJwks ? [] : [publicJwk] });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  quirks = {};
  probe = { registrations: 0 };
});

let lines: string[] = [];
const logger = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
async function run(argv: string[], cwd = tmpdir()): Promise<{ ready: boolean; output: string }> {
  lines = [];
  const command = parseDoctorArgs(argv);
  if (command.action !== 'run') throw new Error(`not a doctor run: ${argv.join(' ')}`);
  const { ready } = await doctor(command.args, { cwd, env: {}, logger });
  return { ready, output: lines.join('\n') };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(payload: Record<string, unknown>, header: Record<string, unknown> = {}, key: KeyObject = privateKey): string {
  const head = b64({ alg: 'RS256', kid: 'k1', typ: 'JWT', ...header });
  const body = b64(payload);
  return `${head}.${body}.${sign('sha256', Buffer.from(`${head}.${body}`), key).toString('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);
const goodClaims = () => ({ iss: issuer(), aud: 'https://mcp.example.com/mcp', sub: 'u1', client_id: 'c1', scope: 'read write', exp: now() + 600 });

describe('doctor against a live provider (--issuer)', () => {
  test('reports a well-behaved provider as ready, line by line, found where MCP clients look first', async () => {
    const { ready, output } = await run(['--issuer', issuer()]);
    expect(ready).toBe(true);
    expect(output).toContain(`✓ metadata found at ${base}/.well-known/oauth-authorization-server${issuerPath} (probe 1 of 3)`);
    expect(output).toContain(`✓ issuer matches exactly: "${issuer()}"`);
    expect(output).toContain('✓ PKCE S256 advertised');
    expect(output).toContain('✓ clients can register: dynamic client registration');
    expect(output).toContain('✓ JWKS reachable: 1 key(s), algorithms RS256');
    expect(output).toMatch(/Ready: /);
  });

  test('finds path-appended metadata on the third probe, as MCP clients do', async () => {
    quirks.pathAppendedOnly = true;
    const { ready, output } = await run(['--issuer', issuer()]);
    expect(ready).toBe(true);
    expect(output).toContain('(probe 3 of 3)');
    expect(clientProbeOrder(issuer())).toHaveLength(3);
  });

  test('finds metadata served only under the issuer path, names the root route to add, and checks the rest of it', async () => {
    quirks.suffixOnly = true;
    const { ready, output } = await run(['--issuer', issuer(), '--provider', 'better-auth']);
    expect(ready).toBe(false);
    expect(output).toContain(`✗ metadata found only at ${issuer()}/.well-known/oauth-authorization-server, where no MCP client looks`);
    expect(output).toContain(`Serve the same document at ${base}/.well-known/oauth-authorization-server${issuerPath}`);
    expect(output).toContain('oauthProviderAuthServerMetadata(auth)');
    expect(output).toContain('✓ JWKS reachable');
    expect(output).toMatch(/Not ready: 1 problem/);
  });

  test('says "no metadata" when the issuer-path form is missing too', async () => {
    quirks.suffixOnly = true;
    const { ready, output } = await run(['--issuer', `${base}/elsewhere`]);
    expect(ready).toBe(false);
    expect(output).toContain(`✗ no authorization server metadata for ${base}/elsewhere`);
  });

  test('Better Auth: a probe client may ask for the MCP server URL as resource', async () => {
    const { ready, output } = await run(['--issuer', issuer(), '--provider', 'better-auth', '--mcp-url', 'https://mcp.example.com/mcp']);
    expect(output).toContain("✓ registered clients may ask for https://mcp.example.com/mcp (a probe client's authorization request reached sign-in)");
    expect(output).toContain('doctor registered the probe client "probe-1"');
    expect(probe.authorization?.get('resource')).toBe('https://mcp.example.com/mcp');
    expect(probe.authorization?.get('code_challenge_method')).toBe('S256');
    expect(probe.authorization?.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(ready).toBe(true);
  });

  test('Better Auth: invalid_target for a probe client fails and names clientRegistrationDefaultResources', async () => {
    quirks.unlinkedResource = true;
    const { ready, output } = await run(['--issuer', issuer(), '--provider', 'better-auth', '--mcp-url', 'https://mcp.example.com/mcp']);
    expect(output).toContain('✗ registered clients may not ask for https://mcp.example.com/mcp: invalid_target');
    expect(output).toContain('client probe-1 is not linked to resource(s) https://mcp.example.com/mcp');
    expect(output).toContain('clientRegistrationDefaultResources');
    expect(ready).toBe(false);
  });

  test('registers no probe client at providers that do not link resources per client', async () => {
    quirks.unlinkedResource = true;
    const { ready } = await run(['--issuer', issuer()]);
    expect(probe.registrations).toBe(0);
    expect(ready).toBe(true);
  });

  test('fails on an issuer mismatch and names both values, pointing out a trailing slash', async () => {
    quirks.issuer = `${issuer()}/`;
    const { ready, output } = await run(['--issuer', issuer()]);
    expect(ready).toBe(false);
    expect(output).toContain(`✗ issuer mismatch: configured "${issuer()}", the provider says "${issuer()}/" (only the trailing slash differs`);
    expect(output).toMatch(/Not ready: 1 problem/);
  });

  test('fails when the metadata omits code_challenge_methods_supported, and names the shim', async () => {
    quirks.noPkce = true;
    const { ready, output } = await run(['--issuer', issuer()]);
    expect(ready).toBe(false);
    expect(output).toContain('✗ metadata omits code_challenge_methods_supported');
    expect(output).toContain('AUTH_SERVER_METADATA_SHIM=1');
  });

  test('warns, without failing, when clients cannot register', async () => {
    quirks.noRegistration = true;
    const { ready, output } = await run(['--issuer', issuer(), '--provider', 'okta']);
    expect(ready).toBe(true);
    expect(output).toContain('! no registration_endpoint and no Client ID Metadata Documents');
    expect(output).toContain('registration needs an admin token');
  });

  test('fails when the JWKS is down', async () => {
    quirks.jwksStatus = 503;
    const { ready, output } = await run(['--issuer', issuer()]);
    expect(ready).toBe(false);
    expect(output).toContain(`✗ JWKS unreachable: ${base}/keys → 503`);
  });

  test('fails on an empty JWKS with the provider\'s shared-secret fix (HS256)', async () => {
    quirks.emptyJwks = true;
    const { ready, output } = await run(['--issuer', issuer(), '--provider', 'supabase']);
    expect(ready).toBe(false);
    expect(output).toContain('publishes no public signing keys');
    expect(output).toContain('migrate to asymmetric signing keys');
  });

  test('fails when the provider is unreachable', async () => {
    const { ready, output } = await run(['--issuer', 'http://127.0.0.1:1/x']);
    expect(ready).toBe(false);
    expect(output).toContain('✗ the provider is unreachable at http://127.0.0.1:1/x');
  });
});

describe('doctor --token: the generated server\'s own verifier (templates/auth/src/auth/token-verifier.ts)', () => {
  const audience = 'https://mcp.example.com/mcp';
  const check = (token: string, flags: string[] = []) => run(['--issuer', issuer(), '--audience', audience, ...flags, '--token', token]);

  test('accepts a good token, one line per check the verifier made: signature against the JWKS, iss, aud, exp, client', async () => {
    const { ready, output } = await check(jwt(goodClaims()));
    expect(output).toContain('✓ signature verified with the provider\'s JWKS (RS256, key "k1")');
    expect(output).toContain(`✓ iss "${issuer()}"`);
    expect(output).toContain(`✓ aud "${audience}"`);
    expect(output).toMatch(/✓ expires \S+ \(in 10 min\)/);
    expect(output).toContain('· client "c1"');
    expect(output).toContain('· scopes granted: read write');
    expect(ready).toBe(true);
  });

  // Each row: the token, the line naming the check that refused it, and the verifier's own words after it.
  test.each([
    ['another audience', { aud: 'account' }, [], '✗ aud "account"', 'The server refuses it: the access token is for another audience ("account")'],
    ['an audience list without this server', { aud: ['account', 'other'] }, [], '✗ aud ["account","other"]', 'the access token is for another audience'],
    ['an expired token', { exp: now() - 60 }, [], '✗ expired ', 'The server refuses it: the access token has expired'],
    ['a token without exp', { exp: undefined }, [], '✗ no exp claim', 'The server refuses it: the access token\'s "exp" claim is not acceptable (missing)'],
    ['another issuer', { iss: 'https://evil.example' }, [], '✗ iss "https://evil.example"', 'The server refuses it: the access token was issued by "https://evil.example", not by this server\'s issuer'],
    ['an ID token', { at_hash: 'x', nonce: 'n' }, [], '✗ this is an ID token, not an access token', 'The server refuses it: this is an ID token, not an access token'],
    ['a Cognito ID token (token_use "id")', { aud: undefined, client_id: 'my-app', token_use: 'id' }, ['--provider', 'cognito', '--audience', 'my-app'], '✗ this is an ID token', '(token_use "id")'],
    ['an Entra token without "ver"', { azp: 'c1' }, ['--provider', 'entra'], '✗ ver null', 'claim must be "2.0" (got null): Tokens from https://sts.windows.net/'],
    ['a token typed JWT where the provider sets at+jwt', {}, ['--provider', 'better-auth'], '✗ typ header "JWT"', 'typ header is not "at+jwt"'],
    ['a Cognito token whose client_id is not the audience (no aud)', { aud: undefined, token_use: 'access', client_id: 'another-app' }, ['--provider', 'cognito', '--audience', 'my-app'], '✗ no aud; client_id "another-app" checked instead', 'The server refuses it: the access token\'s "client_id" "another-app" is not one this server accepts'],
    ['a token that names no client where one is required', { client_id: undefined }, ['--provider', 'workos'], '✗ not an OAuth access token of a client', 'names no client (client_id)'],
    ['a malformed cnf claim', { cnf: 'jkt' }, [], '✗ the access token\'s "cnf" claim is malformed', 'The server refuses it: the access token\'s "cnf" claim is malformed'],
    ['a token bound to a TLS client certificate', { cnf: { 'x5t#S256': 'abc' } }, [], '✗ bound by cnf.x5t#S256', 'The server refuses it: the access token is bound to a TLS client certificate (RFC 8705)'],
  ])('refuses %s, naming the check and the fix', async (_case, claims, flags, line, words) => {
    const { ready, output } = await check(jwt({ ...goodClaims(), ...claims }), flags);
    expect(output).toContain(line);
    expect(output).toContain(words);
    expect(ready).toBe(false);
  });

  test('accepts at+jwt where the provider sets it, and says the typ was checked', async () => {
    const { ready, output } = await check(jwt(goodClaims(), { typ: 'at+jwt' }), ['--provider', 'better-auth']);
    expect(output).toContain('✓ typ header "at+jwt"');
    expect(output).toContain('✓ client id "c1"');
    expect(ready).toBe(true);
  });

  test('reads scopes as the server does: permissions narrow them and never add one (Auth0)', async () => {
    const token = jwt({ ...goodClaims(), scope: 'read write', permissions: ['read', 'admin'] });
    const { ready, output } = await check(token, ['--provider', 'auth0']);
    expect(output).toContain('· scopes granted: read\n');
    expect(ready).toBe(true);
  });

  test('a DPoP-bound token is accepted and said to need proofs', async () => {
    const { ready, output } = await check(jwt({ ...goodClaims(), cnf: { jkt: 'thumbprint' } }));
    expect(output).toContain('· DPoP-bound (cnf.jkt)');
    expect(ready).toBe(true);
  });

  test('explains an HS256 token with the provider\'s fix', async () => {
    const [, body] = jwt(goodClaims()).split('.');
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${body}.${randomBytes(32).toString('base64url')}`;
    const { ready, output } = await run(['--issuer', issuer(), '--provider', 'authentik', '--token', token]);
    expect(output).toContain('✗ signed with HS256 (a shared secret)');
    expect(output).toContain('The server refuses it: the access token is signed with HS256, a shared secret this server cannot verify');
    expect(output).toContain('select a Signing Key');
    expect(ready).toBe(false);
  });

  test('refuses a forged signature, checked against the key the provider publishes', async () => {
    const { privateKey: other } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { ready, output } = await check(jwt(goodClaims(), {}, other));
    expect(output).toContain('✗ signature does not match the provider\'s JWKS');
    expect(output).toContain('The server refuses it: the access token\'s signature is invalid');
    expect(ready).toBe(false);
  });

  test('refuses a token signed with a key the provider does not publish', async () => {
    const { ready, output } = await check(jwt(goodClaims(), { kid: 'rotated-out' }));
    expect(output).toContain('✗ key "rotated-out" is not in the provider\'s JWKS');
    expect(output).toContain('The server refuses it: the access token\'s signing key is not one of the issuer\'s keys');
    expect(ready).toBe(false);
  });

  test('says the token could not be checked when the JWKS is down, as the server answers 503', async () => {
    quirks.jwksStatus = 503;
    const { output } = await check(jwt(goodClaims()));
    expect(output).toContain('✗ the token could not be checked: the provider\'s metadata or keys are out of reach or unusable');
    expect(output).toContain('The server answers 503: the authorization server cannot be reached to verify the token');
  });

  test('an opaque token in a project for JWTs is refused; in one that introspects it is left to the provider', async () => {
    const { ready, output } = await check('opaque-token-value');
    expect(output).toContain('✗ the token is not a JWT');
    expect(ready).toBe(false);
    const google = await run(['--issuer', issuer(), '--provider', 'google', '--token', 'opaque-token-value']);
    expect(google.output).toContain('· this project introspects tokens (AUTH_TOKEN_FORMAT=opaque)');
  });

  test('an opaque Better Auth token is put down to a missing resource parameter, not to the token format', async () => {
    const { ready, output } = await check('opaque-token-value', ['--provider', 'better-auth']);
    expect(output).toContain('✗ the token is not a JWT');
    expect(output).toContain('sent without `resource`');
    expect(output).not.toContain('need AUTH_TOKEN_FORMAT=opaque');
    expect(ready).toBe(false);
  });
});

describe('doctor inside a generated project', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'doctor-project-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('reads .mcp-auth-server.json and .env (the .env issuer and shim win)', async () => {
    const answers = { projectName: 'p', provider: 'entra' as const, framework: 'express' as const, transport: 'stateless' as const, scopes: ['read', 'write'], issuer: 'https://login.microsoftonline.com/x/v2.0', audience: 'client-guid', packageManager: 'npm' as const };
    await writeFile(join(dir, '.mcp-auth-server.json'), serializeAnswersFile('0.1.0', answers));
    await writeFile(join(dir, '.env'), `AUTH_ISSUER=${issuer()}\nAUTH_AUDIENCE=client-guid\nAUTH_SERVER_METADATA_SHIM=1\n`);
    quirks.noPkce = true;
    quirks.noRegistration = true;
    const { ready, output } = await run(['--token', jwt({ ...goodClaims(), aud: 'client-guid', ver: '2.0', scp: 'read write', azp: 'c1' })], dir);
    expect(output).toContain('Microsoft Entra ID');
    expect(output).toContain('! PKCE S256 not advertised by the provider; the metadata shim');
    expect(output).toContain('✓ ver "2.0"');
    expect(output).toContain('✓ scopes: read write');
    expect(ready).toBe(true);
  });

  test('outside a project without --issuer is a clear error', async () => {
    await expect(run([], dir)).rejects.toThrow(/run doctor inside a generated project, or pass --issuer/);
  });
});
