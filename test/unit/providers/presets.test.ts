import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { validateIssuer } from '../../../src/answers/validate.js';
import { validateProviderInput, validateProviderInputs } from '../../../src/answers/provider-inputs.js';
import { checkProvider, clientProbeOrder } from '../../../src/doctor/provider-checks.js';
import type { DoctorTarget } from '../../../src/doctor/target.js';
import { getProvider, providers, type ProviderId } from '../../../src/providers/index.js';
import { presetAudience, presetIssuer } from '../../../src/providers/resolve-preset.js';
import { tokenRulesFor } from '../../../src/providers/token-rules.js';
import type { ProviderPreset, TokenPreset } from '../../../src/providers/provider-preset.js';
import { exampleInputs } from './example-inputs.js';

/** Every named preset must exist: the ones issue 3 lists, beside local, oidc and oauth. */
const NAMED: ProviderId[] = ['logto', 'auth0', 'keycloak', 'okta', 'entra', 'cognito', 'google', 'descope', 'stytch', 'workos', 'clerk', 'zitadel', 'authentik', 'ory', 'scalekit', 'asgardeo', 'supabase', 'better-auth', 'fusionauth', 'pingone'];
const named = providers.filter((p) => NAMED.includes(p.id)) as readonly ProviderPreset[];

describe('the named presets', () => {
  test('are all there, as rows of data', () => {
    expect(named.map((p) => p.id).sort()).toEqual([...NAMED].sort());
  });

  test('have input flags unique across presets, prefixed with the preset', () => {
    const flags = providers.flatMap((p) => p.inputs.map((input) => input.flag));
    expect(new Set(flags).size).toBe(flags.length);
    for (const preset of named) for (const input of preset.inputs) expect(input.flag.startsWith(`${preset.id.split('-')[0]}-`)).toBe(true);
  });

  test.each(named)('$id builds a valid issuer from its example inputs, equal to its issuer example', (preset) => {
    const issuer = presetIssuer(preset, exampleInputs(preset))!;
    expect(validateIssuer(issuer)).toBe(issuer);
    expect(validateIssuer(preset.issuerExample)).toBe(preset.issuerExample);
  });

  test('keeps the trailing slash exactly where the provider writes one (Auth0, authentik)', () => {
    expect(presetIssuer(getProvider('auth0'), { domain: 'dev-x.us.auth0.com' })).toBe('https://dev-x.us.auth0.com/');
    expect(presetIssuer(getProvider('authentik'), { baseUrl: 'https://ak.example.com', appSlug: 'mcp' })).toBe('https://ak.example.com/application/o/mcp/');
    for (const id of ['okta', 'keycloak', 'cognito', 'entra'] as ProviderId[]) {
      expect(presetIssuer(getProvider(id), exampleInputs(getProvider(id)))).not.toMatch(/\/$/);
    }
  });

  test('derive the audience each provider actually writes', () => {
    expect(presetAudience(getProvider('entra'), { tenantId: 't', clientId: '00001111-aaaa-2222-bbbb-3333cccc4444' })).toBe('00001111-aaaa-2222-bbbb-3333cccc4444');
    expect(presetAudience(getProvider('cognito'), { clientIds: 'a,b,a' })).toBe('a,b');
    expect(presetAudience(getProvider('supabase'), { projectRef: 'x' })).toBe('authenticated');
    expect(presetAudience(getProvider('auth0'), { domain: 'd', audience: '' })).toBeUndefined(); // the MCP server URL
    expect(presetAudience(getProvider('auth0'), { domain: 'd', audience: 'https://api.example.com' })).toBe('https://api.example.com');
    expect(presetAudience(getProvider('zitadel'), { instanceUrl: 'https://z.example', projectId: '123' })).toBe('123');
  });

  test('Entra: clients request <App ID URI>/<scope>, tokens carry <scope>: the prefix is data, defaulting to api://<client id>', () => {
    expect(getProvider('entra').token).toMatchObject({ scopePrefix: '{appIdUri}/' });
    expect(getProvider('entra').inputs.find((input) => input.id === 'appIdUri')?.default).toBe('api://{clientId}');
    expect(getProvider('entra').defaultScopes).toBe('{appIdUri}/read,{appIdUri}/write');
  });

  test('encode each provider\'s token rules as data (no RS256 by habit)', () => {
    const rules = (id: ProviderId) => getProvider(id).token;
    expect(rules('cognito')).toMatchObject({ requiredClaims: { token_use: 'access' }, audienceFallbackClaims: ['client_id'] });
    expect(rules('entra')).toMatchObject({ scopeClaims: ['scp'], requiredClaims: { ver: '2.0' } });
    expect(rules('okta')).toMatchObject({ scopeClaims: ['scp'], scopeFormat: 'array', clientIdClaims: ['cid', 'client_id'] });
    // Role claims only narrow the delegated scopes (the security review: permissions must never widen `scope`).
    expect(rules('auth0')).toMatchObject({ scopeClaims: ['scope'], permissionClaims: ['permissions'] });
    expect(rules('workos')).toMatchObject({ scopeClaims: ['scope'], permissionClaims: ['permissions'], requireClientId: true });
    // Where `aud` is the client id or shared by the project, a client claim only access tokens carry is required.
    expect(rules('entra')).toMatchObject({ clientIdClaims: ['azp'], requireClientId: true, audienceNames: 'client' });
    expect(rules('authentik')).toMatchObject({ clientIdClaims: ['azp'], requireClientId: true, audienceNames: 'client' });
    expect(rules('fusionauth')).toMatchObject({ clientIdClaims: ['applicationId'], requireClientId: true, audienceNames: 'client' });
    expect(rules('stytch')).toMatchObject({ requireClientId: true, forbiddenClaims: ['https://stytch.com/session'], audienceNames: 'project' });
    expect(rules('better-auth').algorithms[0]).toBe('EdDSA');
    expect(rules('logto').algorithms[0]).toMatch(/^ES/);
    expect(rules('clerk')).toMatchObject({ requiredTyp: 'at+jwt', requireClientId: true });
    expect('audience' in rules('clerk')).toBe(false); // not confirmed that Clerk omits aud: required unless AUTH_AUDIENCE_OPTIONAL=1
    for (const id of ['google', 'ory', 'zitadel', 'asgardeo'] as ProviderId[]) expect(rules(id).format).toBe('opaque');
    expect(tokenRulesFor(getProvider('stytch'), { projectId: 'project-test-1', projectDomain: 'https://x.example' }).extraIssuers).toEqual(['stytch.com/project-test-1']);
  });

  test('always read the standard scope and client id claims after the provider\'s own, and never roles', () => {
    for (const preset of providers) {
      const { scopeClaims, clientIdClaims } = tokenRulesFor(preset, {});
      expect(scopeClaims).toEqual(expect.arrayContaining(['scope', 'scp']));
      expect(scopeClaims[0]).toBe(preset.token.scopeClaims[0]);
      for (const role of ['roles', 'permissions', 'groups', 'role', 'cognito:groups', 'p1.permissions']) expect(scopeClaims).not.toContain(role);
      expect(clientIdClaims).toContain('client_id');
    }
  });

  test('say, with a source, why each scope claim grants what it grants and what tells access tokens apart', () => {
    for (const preset of providers) {
      const { scopes, accessTokens } = preset.token.evidence;
      expect(scopes, preset.id).toMatch(/`(scope|scp)`/);
      expect(accessTokens.length, preset.id).toBeGreaterThan(40);
      // A source: a link, an RFC, or the provider's own code or issue tracker.
      expect(`${scopes} ${accessTokens}`, preset.id).toMatch(/https:\/\/|RFC \d+|\.(ts|py|go)\b|issue \d+|not confirmed/);
    }
  });

  test('require a marker only access tokens carry wherever `aud` alone cannot tell them from ID or session tokens', () => {
    for (const preset of providers.filter((p) => p.token.format === 'jwt')) {
      const t: TokenPreset = preset.token;
      if ((t.audienceNames ?? 'resource') === 'resource') continue;
      expect(Boolean(t.requireClientId || t.requiredTyp || t.requiredClaims), preset.id).toBe(true);
    }
  });

  test('turn the metadata shim on exactly for the providers whose metadata omits PKCE (Entra ID, Cognito)', () => {
    expect(providers.filter((p) => 'pkceFieldMissing' in p && p.pkceFieldMissing).map((p) => p.id).sort()).toEqual(['cognito', 'entra']);
  });

  test.each(named)('$id says how to fix a shared-secret (HS256) token, how to get the audience, and how to set it up', (preset) => {
    expect(preset.sharedSecretFix.length).toBeGreaterThan(20);
    expect(preset.audience.howTo.length).toBeGreaterThan(20);
    expect(preset.setup.length).toBeGreaterThan(0);
    expect(preset.docs.length).toBeGreaterThan(0);
  });
});

describe('preset inputs', () => {
  const input = (id: ProviderId, inputId: string) => getProvider(id).inputs.find((i) => i.id === inputId)!;

  test.each([
    ['auth0', 'domain', 'https://dev-x.auth0.com', /leave out https/],
    ['auth0', 'domain', 'dev x.auth0.com', /must be a host name/],
    ['keycloak', 'baseUrl', 'https://kc.example.com/', /must not end with "\/"/],
    ['keycloak', 'baseUrl', 'http://kc.example.com', /https/],
    ['keycloak', 'realm', 'my realm', /may only contain/],
    ['entra', 'tenantId', 'contoso.onmicrosoft.com', /GUID/],
    ['cognito', 'region', 'useast1', /AWS region/],
    ['cognito', 'clientIds', 'a,,b', /comma-separated list/],
    ['better-auth', 'basePath', 'api/auth/', /path like/],
    ['pingone', 'regionTld', 'de', /one of com, eu/],
  ] as const)('%s --%s refuses %j with a message naming the flag', (id, inputId, raw, message) => {
    expect(() => validateProviderInput(input(id, inputId), raw)).toThrow(message);
    expect(() => validateProviderInput(input(id, inputId), raw)).toThrow(`--${input(id, inputId).flag}`);
  });

  test('normalizes only what is safe: GUID case, list spacing and duplicates; defaults fill empty optional inputs', () => {
    expect(validateProviderInput(input('entra', 'tenantId'), '72F988BF-86F1-41AF-91AB-2D7CD011DB47')).toBe('72f988bf-86f1-41af-91ab-2d7cd011db47');
    expect(validateProviderInput(input('cognito', 'clientIds'), ' a , b ,a')).toBe('a,b');
    expect(validateProviderInput(input('okta', 'authServerId'), '')).toBe('default');
  });

  test('an answers-file record is checked against its preset', () => {
    expect(validateProviderInputs('auth0', { domain: 'dev-x.auth0.com' })).toEqual({ domain: 'dev-x.auth0.com' });
    expect(() => validateProviderInputs('auth0', { realm: 'x' })).toThrow(/has no input "realm"/);
  });
});

describe('recorded discovery documents (test/fixtures/providers)', () => {
  const dir = fileURLToPath(new URL('../../fixtures/providers/', import.meta.url));
  const fixtures = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(`${dir}${name}`, 'utf8')) as { provider: ProviderId; issuer: string; servedAt: string[]; document: Record<string, unknown> });

  test('exist for every named preset and match the issuer the preset builds', () => {
    expect(fixtures.map((f) => f.provider).sort()).toEqual([...NAMED].sort());
    for (const fixture of fixtures) {
      const preset = getProvider(fixture.provider);
      expect(fixture.issuer).toBe(presetIssuer(preset, exampleInputs(preset)));
      expect(fixture.document['issuer']).toBe(fixture.issuer);
    }
  });

  /** A provider that publishes its document only where the fixture says, and logs what was asked. */
  function providerFetch(fixture: (typeof fixtures)[number], asked: string[]): typeof fetch {
    return (async (input: string | URL) => {
      const url = String(input);
      asked.push(url);
      if (fixture.servedAt.includes(url)) return new Response(JSON.stringify(fixture.document), { status: 200, headers: { 'Content-Type': 'application/json' } });
      if (url === fixture.document['jwks_uri']) return new Response(JSON.stringify({ keys: [{ kty: 'RSA', kid: 'k', alg: 'RS256', n: 'AQAB', e: 'AQAB' }] }), { status: 200 });
      return new Response('{"error":"not found"}', { status: 404 });
    }) as typeof fetch;
  }

  test.each(NAMED)('%s: the generated server\'s discovery finds the document in its probe order', async (id) => {
    const fixture = fixtures.find((f) => f.provider === id)!;
    const preset = getProvider(id);
    // The template's own discovery code (templates/auth/src/auth/discovery.ts), loaded as the generated server runs it.
    const discovery = (await import(fileURLToPath(new URL('../../../templates/auth/src/auth/discovery.ts', import.meta.url)))) as {
      discoveryUrls(issuer: string, type: string): string[];
      fetchServerConfig(issuer: string, options: { type: string; fetch: typeof fetch }): Promise<{ metadataUrl: string; metadata: Record<string, unknown> }>;
    };
    const asked: string[] = [];
    const config = await discovery.fetchServerConfig(fixture.issuer, { type: preset.discovery, fetch: providerFetch(fixture, asked) });
    const order = discovery.discoveryUrls(fixture.issuer, preset.discovery);
    expect(fixture.servedAt).toContain(config.metadataUrl);
    expect(asked).toEqual(order.slice(0, order.indexOf(config.metadataUrl) + 1)); // probed in order, stopped at the first hit
    expect(config.metadata['issuer']).toBe(fixture.issuer);
  });

  test.each(NAMED)('%s: doctor finds it where MCP clients would, and judges PKCE like they do', async (id) => {
    const fixture = fixtures.find((f) => f.provider === id)!;
    const preset = getProvider(id);
    const target: DoctorTarget = {
      issuer: fixture.issuer, preset, audiences: ['https://mcp.example.com/mcp'], mcpUrl: 'https://mcp.example.com/mcp', scopes: [], tokenFormat: 'jwt', metadataShim: false,
      rules: tokenRulesFor(preset, {}), introspection: { hasCredentials: false },
    };
    const asked: string[] = [];
    const { findings } = await checkProvider(target, providerFetch(fixture, asked));
    const firstHit = clientProbeOrder(fixture.issuer).findIndex((url) => fixture.servedAt.includes(url));
    expect(firstHit).toBeGreaterThanOrEqual(0); // every preset's metadata is reachable by MCP clients' probe order
    expect(findings[0]!.message).toContain(`probe ${firstHit + 1} of`);
    const pkce = findings.find((f) => /PKCE|code_challenge/.test(f.message))!;
    expect(pkce.status).toBe('pkceFieldMissing' in preset && preset.pkceFieldMissing ? 'fail' : 'pass');
  });
});
