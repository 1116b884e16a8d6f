import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { installedClients, type Framework } from './conformance/shared-cache.js';
import { authorizeInBrowser, BrowserClientProvider } from './live/browser-client-provider.js';
import { BETTER_AUTH_USER, betterAuthProject, freePort, startBetterAuth, startMcpServer, type BetterAuthServer, type McpServer } from './live/better-auth.js';
import { runForAnswer } from './run.js';
import { connectThroughOAuth, v1Client, v2Client, type ClientModules } from './sdk-clients.js';

/**
 * The `better-auth` preset against the real thing: a Better Auth server (test/fixtures/better-auth, set up as the
 * generated README says) on 127.0.0.1, a `--provider better-auth` project of each framework generated, installed,
 * built and started as `npm start` runs it, and both MCP SDK client generations through Better Auth's sign-in and
 * consent pages in Chromium to `whoami` and a write tool. `doctor` must find it ready, with and without a token; and
 * against a second, misconfigured Better Auth it must name what is missing. Wall time is printed.
 */
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const frameworks = ['express', 'hono'] as const;
const started = performance.now();

let clientsDir: string;
let browser: Browser;
let context: BrowserContext;
let betterAuth: BetterAuthServer;
let misconfigured: BetterAuthServer;
const projects = {} as Record<Framework, string>;
const servers = {} as Record<Framework, McpServer>;

beforeAll(async () => {
  const ports = { express: await freePort(), hono: await freePort() };
  const mcpUrls = frameworks.map((framework) => `http://127.0.0.1:${ports[framework]}/mcp`);
  // One at a time: concurrent npm installs fight over the cache on a small machine (each is cached across runs).
  clientsDir = await installedClients();
  for (const framework of frameworks) projects[framework] = await betterAuthProject(framework);
  [betterAuth, misconfigured, browser] = await Promise.all([startBetterAuth(mcpUrls), startBetterAuth(mcpUrls, { misconfigured: true }), launchChromium()]);
  context = await browser.newContext();
  await Promise.all(frameworks.map(async (framework) => (servers[framework] = await startMcpServer(projects[framework], ports[framework], betterAuth.issuer))));
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([...Object.values(servers).map((server) => server.stop()), betterAuth?.stop(), misconfigured?.stop()]);
  console.log(`live Better Auth suite: ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

/** `doctor` in the project, as its owner runs it: the project's .env with the live issuer and MCP URL on top. */
async function doctor(framework: Framework, issuer: string, token?: string) {
  const env = { AUTH_ISSUER: issuer, MCP_SERVER_URL: servers[framework].mcpUrl };
  return runForAnswer('node', [cli, 'doctor', ...(token ? ['--token', token] : [])], { cwd: projects[framework], env });
}

interface Identity {
  subject: string;
  clientId: string;
  scopes: string[];
  issuer: string;
}

/** The OAuth flow through Chromium with `sdk`, then whoami and the write tool `add_note`. */
async function flow(sdk: ClientModules, framework: Framework, clientName: string, options: Record<string, unknown> = {}) {
  const provider = new BrowserClientProvider(context, BETTER_AUTH_USER, clientName);
  const { client, protocol } = await connectThroughOAuth(sdk, servers[framework].mcpUrl, provider, clientName, options);
  try {
    const whoami = (await client.callTool({ name: 'whoami', arguments: {} })) as { structuredContent: Identity };
    const note = (await client.callTool({ name: 'add_note', arguments: { text: `from ${clientName}` } })) as { content: { text: string }[]; isError?: boolean };
    return { identity: whoami.structuredContent, note, protocol, pagesSeen: provider.pagesSeen, token: provider.accessToken };
  } finally {
    await client.close();
  }
}

const tokens = {} as Record<Framework, string>;

describe.each(frameworks)('a %s server against a live Better Auth', (framework) => {
  it('the v1 SDK client (@modelcontextprotocol/sdk 1.x) signs in and consents in Chromium, then calls whoami and add_note', async () => {
    const { identity, note, pagesSeen, token } = await flow(await v1Client(clientsDir), framework, `sdk-v1 ${framework}`);
    // A new client always meets the consent page; the sign-in page only until the browser has a session.
    expect(pagesSeen).toContain('consent');
    expect(identity).toMatchObject({ issuer: betterAuth.issuer, scopes: expect.arrayContaining(['read', 'write']) as unknown });
    expect(identity.subject).toMatch(/\w/);
    expect(identity.clientId).toMatch(/\w/);
    expect(note.isError).toBeFalsy();
    expect(note.content[0]?.text).toMatch(/^Saved\./);
    tokens[framework] = token;
  });

  it('the v2 client (@modelcontextprotocol/client) does the same on the 2026-07-28 protocol', async () => {
    const { identity, note, protocol, pagesSeen } = await flow(await v2Client(clientsDir), framework, `sdk-v2 ${framework}`, { versionNegotiation: { mode: 'auto' } });
    expect(protocol).toBe('2026-07-28');
    expect(pagesSeen).toContain('consent');
    expect(identity).toMatchObject({ issuer: betterAuth.issuer, scopes: expect.arrayContaining(['read', 'write']) as unknown });
    expect(note.content[0]?.text).toMatch(/^Saved\./);
  });

  it('doctor says ready, without and with the token a client got', async () => {
    const plain = await doctor(framework, betterAuth.issuer);
    expect(plain.output).toContain('✓ issuer matches exactly');
    expect(plain.output).toMatch(/✓ registered clients may ask for .*\/mcp/);
    expect(plain.output).toContain('Ready:');
    expect(plain.code).toBe(0);
    const withToken = await doctor(framework, betterAuth.issuer, tokens[framework]);
    expect(withToken.output).toMatch(/✓ signature verified with the provider's JWKS \(EdDSA/);
    expect(withToken.output).toContain('✓ typ header "at+jwt"');
    expect(withToken.output).toContain('Ready:');
    expect(withToken.code).toBe(0);
  });
});

/**
 * Registers a loopback client and walks one authorization in a fresh Chromium profile (so Better Auth's own sign-in
 * page comes first, then its consent page); returns the token endpoint's answer.
 */
async function tokenFor(query: { scope: string; resource?: string }) {
  const redirectUri = 'http://127.0.0.1:8976/oauth/callback';
  const registration = await fetch(`${betterAuth.issuer}/oauth2/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'live e2e', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] }),
  });
  const { client_id: clientId } = (await registration.json()) as { client_id: string };
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${betterAuth.issuer}/oauth2/authorize`);
  for (const [name, value] of Object.entries({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', state: 'e2e', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', ...query })) {
    url.searchParams.set(name, value);
  }
  const freshProfile = await browser.newContext();
  const pagesSeen: string[] = [];
  const callback = await authorizeInBrowser(freshProfile, url, redirectUri, BETTER_AUTH_USER, pagesSeen).finally(() => freshProfile.close());
  expect(pagesSeen).toEqual(['sign-in', 'consent']);
  const body = new URLSearchParams({ grant_type: 'authorization_code', code: callback.get('code') ?? '', redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier, ...(query.resource ? { resource: query.resource } : {}) });
  const answer = await fetch(`${betterAuth.issuer}/oauth2/token`, { method: 'POST', body });
  return (await answer.json()) as { access_token: string };
}

describe('Better Auth tokens the preset text describes', () => {
  it('with openid requested, aud is an array (the MCP URL and the userinfo endpoint) and doctor accepts it', async () => {
    const { access_token: token } = await tokenFor({ scope: 'openid read write', resource: servers.express.mcpUrl });
    const result = await doctor('express', betterAuth.issuer, token);
    expect(result.output).toContain(`✓ aud ${JSON.stringify([servers.express.mcpUrl, `${betterAuth.issuer}/oauth2/userinfo`])}`);
    expect(result.code).toBe(0);
  });

  it('without resource the token is opaque, and doctor says the client must send resource, not to switch to opaque tokens', async () => {
    const { access_token: token } = await tokenFor({ scope: 'read write' });
    expect(token.split('.')).not.toHaveLength(3);
    const result = await doctor('express', betterAuth.issuer, token);
    expect(result.output).toContain('✗ the token is not a JWT');
    expect(result.output).toMatch(/without `resource`/);
    expect(result.output).not.toContain('need AUTH_TOKEN_FORMAT=opaque');
    expect(result.code).toBe(1);
  });
});

describe('doctor against a misconfigured Better Auth', () => {
  it('names the missing root metadata route and the missing per-client resource setting', async () => {
    const result = await doctor('express', misconfigured.issuer);
    expect(result.output).toContain(`✗ metadata found only at ${misconfigured.issuer}/.well-known/oauth-authorization-server`);
    expect(result.output).toContain(`${misconfigured.origin}/.well-known/oauth-authorization-server/api/auth`);
    expect(result.output).toContain('oauthProviderAuthServerMetadata');
    expect(result.output).toMatch(/✗ registered clients may not ask for .*\/mcp: invalid_target/);
    expect(result.output).toContain('clientRegistrationDefaultResources');
    expect(result.output).toContain('Not ready');
    expect(result.code).toBe(1);
  });
});
