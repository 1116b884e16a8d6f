import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokerDev, type BrokerDev } from '../../dev/broker-dev.js';
import { openSession, readResult } from '../helpers/mcp-client.js';
import { onFreePort } from '../helpers/mcp-server.js';
import { TestBrowser, visibleText, type BrowserStep } from '../helpers/test-browser.js';

/**
 * `npm run dev` in a broker project (dev/broker-dev.ts): the provider's stand-in and the MCP server, with no account
 * and no .env credentials. A fetch-based browser goes through the broker's consent page and the stand-in's login
 * page; the client then redeems its code and calls whoami as the stand-in's user.
 */
const CLIENT_REDIRECT = 'http://127.0.0.1:8976/callback';
let dev: BrokerDev;
let dataDir: string;
const env = (port: number) => ({
  PORT: String(port),
  HOST: '127.0.0.1',
  MCP_SERVER_URL: `http://127.0.0.1:${port}/mcp`,
  AUTH_BROKER_SECRET: randomBytes(32).toString('base64url'),
  DEV_BROKER_STATE_FILE: join(dataDir, 'broker-dev-state.json'),
  // What a fresh project's .env holds before the app is registered: the dev run must not need them.
  AUTH_CLIENT_ID: '',
  AUTH_CLIENT_SECRET: '',
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'broker-dev-'));
  dev = await onFreePort((port) => startBrokerDev({ env: env(port), upstreamPort: 0, log: () => undefined }));
}, 30_000);
afterAll(async () => {
  await dev?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const s256 = async (verifier: string) => Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString('base64url');

/** Fills the stand-in's sign-in form (GitHub-like or OpenID) as a person would, and follows where it leads. */
async function signInAtStandIn(browser: TestBrowser, page: BrowserStep, user: string): Promise<BrowserStep> {
  if (page.kind !== 'page' || !page.html.includes('name="password"')) throw new Error(`expected the stand-in's sign-in page, got ${page.kind === 'page' ? visibleText(page.html) : page.url.href}`);
  const action = new URL(/<form[^>]*action="([^"]*)"/.exec(page.html)?.[1]?.replace(/&#38;|&amp;/g, '&') ?? page.url.href, page.url);
  const form = new URLSearchParams();
  for (const [, name, value] of page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(name!, value!.replace(/&quot;/g, '"'));
  form.set('username', user);
  form.set('password', user);
  const res = await browser.fetch(action, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const location = res.headers.get('location');
  await res.body?.cancel();
  if (!location) throw new Error(`sign-in answered ${res.status} without a redirect`);
  return browser.open(new URL(location, action));
}

describe('npm run dev in a broker project: the stand-in for the provider', () => {
  it('points the broker at the stand-in for this process only, with a fresh client secret', async () => {
    expect(dev.config.issuer).toBe(dev.upstream.origin);
    expect(dev.config.broker.upstream.clientId).toBe('mcp-server-dev');
    expect(dev.config.broker.upstream.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(dev.upstream.users).toEqual(['alice', 'bob']);
    // The stand-in has no registration endpoint: only the broker's one client.
    if (dev.upstream.kind === 'oidc') {
      const discovery = (await (await fetch(`${dev.upstream.origin}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(discovery['registration_endpoint']).toBeUndefined();
      expect(discovery['issuer']).toBe(dev.upstream.origin);
    }
  });

  it('runs the whole broker flow: registration, consent, sign-in at the stand-in, code, token, whoami', async () => {
    const origin = new URL(dev.config.mcpServerUrl).origin;
    const registration = await fetch(`${origin}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Dev Test Client', redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: 'none', application_type: 'native', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] }),
    });
    expect(registration.status).toBe(201);
    const { client_id: clientId } = (await registration.json()) as { client_id: string };

    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${origin}/oauth/authorize`);
    const query = { response_type: 'code', client_id: clientId, redirect_uri: CLIENT_REDIRECT, code_challenge: await s256(verifier), code_challenge_method: 'S256', state: 'dev-state', resource: dev.config.mcpServerUrl.href };
    for (const [name, value] of Object.entries(query)) authorize.searchParams.set(name, value);

    const browser = new TestBrowser([CLIENT_REDIRECT]);
    const consent = await browser.open(authorize);
    expect(consent.kind === 'page' && visibleText(consent.html)).toContain('Dev Test Client');
    const login = await browser.submit(consent, 'approve');
    expect(login.kind === 'page' && login.url.origin).toBe(dev.upstream.origin);
    const back = await signInAtStandIn(browser, login, 'bob');
    if (back.kind !== 'client') throw new Error(`no redirect to the client: ${back.status} ${visibleText(back.html)}`);
    expect(back.params.get('state')).toBe('dev-state');
    expect(back.params.get('iss')).toBe(origin);

    const tokenResponse = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: back.params.get('code') ?? '', redirect_uri: CLIENT_REDIRECT, client_id: clientId, code_verifier: verifier, resource: dev.config.mcpServerUrl.href }),
    });
    expect(tokenResponse.status).toBe(200);
    const tokens = (await tokenResponse.json()) as { access_token: string };
    const claims = decodeJwt(tokens.access_token);
    expect(claims.iss).toBe(origin);
    expect(claims.aud).toBe(dev.config.mcpServerUrl.href);

    const session = await openSession(dev.config.mcpServerUrl.href, tokens.access_token);
    const { result } = await readResult(await session.request('tools/call', { name: 'whoami', arguments: {} }));
    const text = ((result?.['content'] as { text: string }[] | undefined) ?? [])[0]?.text ?? '';
    // The stand-in's bob: `bob` from the OpenID stand-in, GitHub-like numeric id 1002 otherwise.
    expect(text).toMatch(dev.upstream.kind === 'oidc' ? /"subject":\s*"bob"/ : /"subject":\s*"1002"/);
  }, 30_000);

  it('keeps its state apart from the real provider\'s and writes no credentials anywhere', async () => {
    const state = await readFile(join(dataDir, 'broker-dev-state.json'), 'utf8');
    expect(state).not.toContain(dev.config.broker.upstream.clientSecret);
  });
});
