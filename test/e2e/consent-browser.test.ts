import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { generatedProject, scratchDir } from './conformance/shared-cache.js';
import { freePort, start, type Background } from './run.js';

/**
 * Per-client consent on a generated project's development authorization server, in a real Chromium: signed in
 * after approving one client, the browser must show a consent page for a second client (registered with a
 * redirect URI on another host) instead of sending it a code, and Deny / Approve must do what they say.
 * The browser resolves no host name, so evil.example is never contacted: the test reads the request sent there.
 */
const screenshot = process.env['CONSENT_SCREENSHOT'] ?? join(tmpdir(), 'consent.png');
let authServer: Background;
let issuer: string;
let stateDir: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;

interface Client {
  clientId: string;
  redirectUri: string;
}

async function register(clientName: string, redirectUri: string): Promise<Client> {
  const body = { client_name: clientName, redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'] };
  const res = await fetch(`${issuer}/reg`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return { clientId: ((await res.json()) as { client_id: string }).client_id, redirectUri };
}

/** An authorization request with PKCE, as an MCP client opens it in the browser; `verifier` redeems the code. */
function authorizationRequest(client: Client): { url: string; verifier: string } {
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: 'read write',
    state: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  return { url: `${issuer}/auth?${query}`, verifier };
}

/**
 * Runs `action` and returns the query of the request it makes to the client's redirect URI. Nothing answers there
 * (loopback port closed, evil.example unresolvable), so that navigation fails: the request is what counts.
 */
async function redirectedBy(client: Client, action: () => Promise<unknown>): Promise<URLSearchParams> {
  const request = context.waitForEvent('request', { predicate: (r) => r.url().startsWith(`${client.redirectUri}?`), timeout: 10_000 });
  await action().catch((error: unknown) => {
    if (!/ERR_(CONNECTION_REFUSED|NAME_NOT_RESOLVED)/.test(String(error))) throw error;
  });
  return new URL((await request).url()).searchParams;
}

beforeAll(async () => {
  const project = await generatedProject('express');
  stateDir = scratchDir('consent');
  issuer = `http://127.0.0.1:${await freePort()}`;
  // Without DEV_AUTH_AUTO_APPROVE: the pages a developer sees.
  authServer = await start('node', ['--import', 'tsx', 'dev/run-auth-server.ts'], {
    cwd: project,
    env: { AUTH_ISSUER: issuer, MCP_SERVER_URL: 'http://127.0.0.1:3000/mcp', MCP_SCOPES: 'read write', DEV_AUTH_DATA_DIR: stateDir },
    ready: /auto-approve: +off/,
  });
  browser = await launchChromium({ offline: true });
  context = await browser.newContext();
});
// Each authorization in a new tab of the same browser (one cookie jar), as MCP clients open one: the tab the last
// redirect failed in is still settling on its error page.
beforeEach(async () => {
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
});
afterEach(() => page?.close());
afterAll(async () => {
  await browser?.close();
  await authServer?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('consent in a real browser', () => {
  let clientA: Client;
  let clientB: Client;

  it('signs in and approves the first client on the sign-in page', async () => {
    clientA = await register('Client A', 'http://127.0.0.1:8976/oauth/callback');
    await page.goto(authorizationRequest(clientA).url);
    await page.getByRole('heading', { name: 'Sign in and approve' }).waitFor();
    const params = await redirectedBy(clientA, () => page.getByRole('button', { name: /Alice Developer/ }).click());
    expect(params.get('code')).toBeTruthy();
  });

  it('shows a second client the consent page, despite the session; Deny sends access_denied', async () => {
    clientB = await register('Totally Legit MCP Client', 'https://evil.example/cb');
    await page.goto(authorizationRequest(clientB).url);
    expect(new URL(page.url()).origin).toBe(issuer);
    await page.getByRole('heading', { name: 'Approve this client?' }).waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('Totally Legit MCP Client');
    expect(text).toContain(clientB.clientId);
    expect(text).toMatch(/authorization code will be sent to evil\.example/);
    expect(await page.locator('.host').first().innerText()).toBe('evil.example');
    await page.screenshot({ path: screenshot, fullPage: true });

    const params = await redirectedBy(clientB, () => page.getByRole('button', { name: 'Deny' }).click());
    expect(params.get('error')).toBe('access_denied');
    expect(params.has('code')).toBe(false);
  });

  it('Approve on the consent page sends a code the token endpoint redeems', async () => {
    const request = authorizationRequest(clientB);
    await page.goto(request.url);
    const approve = page.getByRole('button', { name: 'Approve as Alice Developer' });
    const code = (await redirectedBy(clientB, () => approve.click())).get('code');
    expect(code).toBeTruthy();
    const token = await fetch(`${issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code ?? '',
        redirect_uri: clientB.redirectUri,
        client_id: clientB.clientId,
        code_verifier: request.verifier,
      }),
    });
    expect(token.status).toBe(200);
    expect(((await token.json()) as { access_token?: string }).access_token).toBeTruthy();
  });

  it('lets the approved https client through without a page', async () => {
    const params = await redirectedBy(clientB, () => page.goto(authorizationRequest(clientB).url));
    expect(params.get('code')).toBeTruthy();
  });

  it('asks again for the approved loopback client, whose identity a loopback redirect cannot prove (RFC 8252 §8.6)', async () => {
    await page.goto(authorizationRequest(clientA).url);
    await page.getByRole('heading', { name: 'Approve this client?' }).waitFor();
    expect(await page.locator('body').innerText()).toContain('Client A');
  });
});
