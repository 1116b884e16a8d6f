import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerDefaults, tokenRules } from '../../src/auth/index.js';
import { SCOPES } from '../../src/scopes.js';
import { createAttackTable } from '../helpers/attack-table.js';
import { initializeBody, openSession, post, readResult } from '../helpers/mcp-client.js';
import { startTestServer, type TestServer } from '../helpers/mcp-server.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

/**
 * Tokens shaped exactly like this project's provider issues them (scope claim and its shape, client id claim,
 * required claims, typ, algorithm, audience form) are accepted; its typical misconfigurations are refused with a
 * message that names the fix. Opaque-token providers go through introspection against a local stand-in.
 */
const AUDIENCE = 'provider-audience-1';
const CLIENT = 'provider-client';
const opaque = providerDefaults.tokenFormat === 'opaque';
const [scopeClaim = 'scope'] = tokenRules.scopeClaims;
const [clientClaim = 'client_id'] = tokenRules.clientIdClaims;
const audienceInClientId = tokenRules.audienceFallbackClaims?.[0];
/** Scopes as the provider writes them in tokens: Entra drops the App ID URI prefix clients request them with. */
const prefix = tokenRules.scopePrefix;
const tokenScopes = SCOPES.map((scope) => (prefix && scope.startsWith(prefix) ? scope.slice(prefix.length) : scope));

let provider: TestIssuer;
let server: TestServer;
const table = createAttackTable(`provider tokens (${providerDefaults.id})`);

beforeAll(async () => {
  provider = await startTestIssuer({ alg: tokenRules.algorithms[0]! });
  provider.style = providerDefaults.introspection;
  server = await startTestServer({
    AUTH_ISSUER: provider.issuer,
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_TOKEN_FORMAT: providerDefaults.tokenFormat,
    ...(opaque ? { AUTH_INTROSPECTION_ENDPOINT: `${provider.issuer}/introspect`, AUTH_INTROSPECTION_CLIENT_ID: 'rs', AUTH_INTROSPECTION_CLIENT_SECRET: 's3cret' } : {}),
  });
});
afterAll(async () => {
  await server?.close();
  await provider?.close();
  table.flush();
});

const now = () => Math.floor(Date.now() / 1000);

/** The claims of an access token as this provider writes them; `undefined` removes a claim. */
function providerClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    iss: provider.issuer,
    sub: 'provider-user',
    iat: now(),
    exp: now() + 300,
    [scopeClaim]: providerDefaults.scopeFormat === 'array' ? [...tokenScopes] : tokenScopes.join(' '),
    [clientClaim]: CLIENT,
    ...tokenRules.requiredClaims,
  };
  // Cognito-style providers carry no `aud` and name the audience in the client id; Clerk-style ones carry none.
  if (audienceInClientId) claims[audienceInClientId] = AUDIENCE;
  else if (tokenRules.audience !== 'if-present') claims['aud'] = AUDIENCE;
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  return claims;
}

/** A token for these claims: a JWT signed like the provider, or an opaque string its introspection knows. */
async function tokenFor(claims: Record<string, unknown>, header: { typ?: string } = {}): Promise<string> {
  if (!opaque) return provider.sign(claims, { typ: header.typ ?? providerDefaults.typ });
  const token = randomBytes(24).toString('base64url');
  provider.opaque.set(token, claims);
  return token;
}

async function refusal(token: string): Promise<{ status: number; description: string; answer: string }> {
  const response = await post(server.mcpUrl, initializeBody(), { Authorization: `Bearer ${token}` });
  const body = (await response.json()) as { error?: string; error_description?: string };
  const description = body.error_description ?? '';
  return { status: response.status, description, answer: `${response.status} ${body.error ?? ''}: ${description}` };
}

const textOf = (result: Record<string, unknown> | undefined) => ((result?.['content'] as { text: string }[] | undefined) ?? [])[0]?.text ?? '';

describe(`a ${providerDefaults.id} access token`, () => {
  it('shaped exactly like the provider writes it is accepted and reaches the tools', async () => {
    const session = await openSession(server.mcpUrl, await tokenFor(providerClaims()));
    const { result } = await readResult(await session.request('tools/call', { name: 'whoami', arguments: {} }));
    const identity = JSON.parse(textOf(result)) as { subject: string; clientId: string; scopes: string[] };
    expect(identity.subject).toBe('provider-user');
    expect(identity.clientId).toBe(audienceInClientId === clientClaim ? AUDIENCE : CLIENT);
    expect(identity.scopes).toEqual(expect.arrayContaining([...SCOPES]));
  });

  it('with its scopes written in the other shape (string ↔ array) still grants them', async () => {
    const other = providerDefaults.scopeFormat === 'array' ? tokenScopes.join(' ') : [...tokenScopes];
    const session = await openSession(server.mcpUrl, await tokenFor(providerClaims({ [scopeClaim]: other })));
    const response = await session.request('tools/call', { name: 'whoami', arguments: {} });
    expect(response.status).toBe(200);
  });

  it('without the scope claim is let in but refused every tool with 403 insufficient_scope', async () => {
    const claims = providerClaims(Object.fromEntries(tokenRules.scopeClaims.map((claim) => [claim, undefined])));
    const session = await openSession(server.mcpUrl, await tokenFor(claims));
    const response = await session.request('tools/call', { name: 'whoami', arguments: {} });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('for another audience is refused, and the refusal says how to get the right one', async () => {
    const wrong = audienceInClientId ? { [audienceInClientId]: 'someone-elses-client' } : { aud: 'api://another-audience' };
    const { status, description } = await refusal(await tokenFor(providerClaims(wrong)));
    expect(status).toBe(401);
    expect(description).toMatch(/audience|is not one this server accepts/);
    expect(description).toContain(tokenRules.hints!.audience!.slice(0, 30));
  });

  it.runIf(tokenRules.audience !== 'if-present')('without any audience is refused', async () => {
    const { status } = await refusal(await tokenFor(providerClaims({ aud: undefined, ...(audienceInClientId ? { [audienceInClientId]: undefined } : {}) })));
    expect(status).toBe(401);
  });

  it('that has expired is refused', async () => {
    expect((await refusal(await tokenFor(providerClaims({ exp: now() - 600 })))).status).toBe(401);
  });

  it.runIf(Boolean(tokenRules.requiredClaims))('without the claims this provider always sets is refused, naming the claim', async () => {
    for (const claim of Object.keys(tokenRules.requiredClaims ?? {})) {
      const { status, description } = await refusal(await tokenFor(providerClaims({ [claim]: 'other' })));
      expect(status).toBe(401);
      expect(description).toContain(`"${claim}"`);
    }
  });

  it.runIf(Boolean(tokenRules.requireClientId))('without a client id (a first-party session token) is refused', async () => {
    const claims = providerClaims(Object.fromEntries(tokenRules.clientIdClaims.map((claim) => [claim, undefined])));
    const { status, description } = await refusal(await tokenFor(claims));
    expect(status).toBe(401);
    expect(description).toMatch(/names no client/);
  });

  it.runIf(Boolean(tokenRules.extraIssuers?.length))('from the provider\'s other issuer form is accepted as well', async () => {
    const response = await post(server.mcpUrl, initializeBody(), { Authorization: `Bearer ${await tokenFor(providerClaims({ iss: tokenRules.extraIssuers![0] }))}` });
    expect(response.status).toBe(200);
  });
});

describe.runIf(!opaque)(`a ${providerDefaults.id} token that is not an access token`, () => {
  it('an ID token (typ JWT, aud = the client, at_hash, nonce) is refused as an ID token', async () => {
    const idToken = providerClaims({
      aud: CLIENT,
      nonce: 'n-0S6_WzA2Mj',
      at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
      ...(tokenRules.requiredClaims?.['token_use'] ? { token_use: 'id' } : {}),
      ...Object.fromEntries(tokenRules.scopeClaims.map((claim) => [claim, undefined])),
    });
    const { status, description } = await refusal(await tokenFor(idToken, { typ: 'JWT' }));
    expect(status).toBe(401);
    expect(description).toMatch(/ID token|typ/);
  });

  it('an HS256 token (a provider signing with a shared secret) is refused with what to change in the provider', async () => {
    const hs256 = await new SignJWT(providerClaims()).setProtectedHeader({ alg: 'HS256', typ: providerDefaults.typ }).sign(randomBytes(32));
    const { status, description } = await refusal(hs256);
    expect(status).toBe(401);
    expect(description).toContain('HS256');
    expect(description).toContain(tokenRules.hints!.sharedSecret!.slice(0, 30));
  });
});

/** An `aud` this server accepts (ID tokens of client-audience providers carry exactly this). */
const acceptedAudience = () => ({ aud: AUDIENCE });
const withoutClient = () => Object.fromEntries(tokenRules.clientIdClaims.map((claim) => [claim, undefined]));

describe.runIf(!opaque && providerDefaults.audienceNames !== 'resource')(`a ${providerDefaults.id} JWT that carries the accepted audience but is not an access token`, () => {
  // Here `aud` names the client app or the whole project, so the provider's ID and session tokens carry it too.
  it('an ID token from the token endpoint (no at_hash, no client claim, scopes included) is refused', async () => {
    const idToken = providerClaims({
      ...withoutClient(),
      ...acceptedAudience(),
      nonce: 'n-0S6_WzA2Mj',
      ...(tokenRules.requiredClaims?.['token_use'] ? { token_use: 'id' } : {}),
    });
    const { status, answer } = await refusal(await tokenFor(idToken, { typ: 'JWT' }));
    table.add({ name: `ID token with the ${providerDefaults.audienceNames}-id audience`, expected: '401 invalid_token', got: answer });
    expect(status).toBe(401);
  });
  // Providers whose only other JWTs are ID tokens (Cognito: `token_use`) have no session token to refuse.
  it.runIf(Boolean(tokenRules.requireClientId || tokenRules.forbiddenClaims?.length))('a first-party session token (no client claim) is refused', async () => {
    const session = providerClaims({ ...withoutClient(), ...acceptedAudience(), ...Object.fromEntries((tokenRules.forbiddenClaims ?? []).map((claim) => [claim, { id: 'session-1' }])) });
    const { status, answer } = await refusal(await tokenFor(session));
    table.add({ name: `${providerDefaults.id} token naming no client (session-style)`, expected: '401 invalid_token', got: answer });
    expect(status).toBe(401);
  });
  it.runIf(Boolean(tokenRules.forbiddenClaims?.length))('a session token that also names a client (custom claims) is refused by its session marker', async () => {
    const marker = tokenRules.forbiddenClaims![0]!;
    const { status, description, answer } = await refusal(await tokenFor(providerClaims({ ...acceptedAudience(), [marker]: { id: 'session-1' } })));
    table.add({ name: `${providerDefaults.id} session JWT (with a client claim)`, expected: '401 invalid_token', got: answer });
    expect(status).toBe(401);
    expect(description).toContain(marker);
  });
});

describe.runIf(Boolean(tokenRules.permissionClaims?.length))(`a ${providerDefaults.id} token whose role claim allows more than the client asked for`, () => {
  const permission = tokenRules.permissionClaims?.[0] ?? 'permissions';
  const call = async (claims: Record<string, unknown>, tool: string, args: Record<string, unknown> = {}) => {
    const session = await openSession(server.mcpUrl, await tokenFor(providerClaims(claims)));
    const response = await session.request('tools/call', { name: tool, arguments: args });
    await response.body?.cancel();
    return response.status;
  };
  it('gets only the scopes it was granted: the role claim narrows, never widens', async () => {
    const [read, write] = [tokenScopes[0]!, tokenScopes[1] ?? tokenScopes[0]!];
    const readOnly = { [scopeClaim]: read, [permission]: [...tokenScopes] };
    const status = write === read ? 200 : await call(readOnly, 'add_note', { text: 'x' });
    table.add({ name: `${permission} grants more than scope (scope ${read}), tools/call add_note`, expected: write === read ? '200' : '403', got: String(status) });
    if (write !== read) expect(status).toBe(403);
    expect(await call(readOnly, 'whoami')).toBe(200);
  });
  it('a token with permissions but no scope claim is refused every tool', async () => {
    const status = await call({ ...Object.fromEntries(tokenRules.scopeClaims.map((claim) => [claim, undefined])), [permission]: [...tokenScopes] }, 'whoami');
    table.add({ name: `${permission}-only scope, tools/call whoami`, expected: '403', got: String(status) });
    expect(status).toBe(403);
  });
});

describe.runIf(opaque)(`a ${providerDefaults.id} opaque token`, () => {
  it('that introspection does not know (inactive) is refused', async () => {
    expect((await refusal('unknown-opaque-token')).status).toBe(401);
  });

  it('is introspected with this server\'s credentials, once, then served from the cache', async () => {
    const token = await tokenFor(providerClaims());
    const before = provider.requests.introspection;
    for (let i = 0; i < 3; i++) expect((await post(server.mcpUrl, initializeBody(), { Authorization: `Bearer ${token}` })).status).toBe(200);
    expect(provider.requests.introspection - before).toBe(1);
    expect(provider.requests.authorization.at(-1)).toBe(`Basic ${Buffer.from('rs:s3cret').toString('base64')}`);
  });
});

describe('AUTH_AUDIENCE_OPTIONAL=1 (for providers whose tokens are not audience-bound)', () => {
  it('accepts a token without aud but still refuses one for another audience', async () => {
    const lenient = await startTestServer({
      AUTH_ISSUER: provider.issuer,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_AUDIENCE_OPTIONAL: '1',
      AUTH_TOKEN_FORMAT: providerDefaults.tokenFormat,
      ...(opaque ? { AUTH_INTROSPECTION_ENDPOINT: `${provider.issuer}/introspect` } : {}),
    });
    try {
      const call = async (claims: Record<string, unknown>) =>
        (await post(lenient.mcpUrl, initializeBody(), { Authorization: `Bearer ${await tokenFor(providerClaims(claims))}` })).status;
      const noAudience = { aud: undefined, ...(audienceInClientId ? { [audienceInClientId]: undefined } : {}) };
      expect(await call(noAudience)).toBe(200);
      expect(await call({ aud: 'api://another-audience' })).toBe(401);
    } finally {
      await lenient.close();
    }
  });
});
