import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevAuthServer, type DevAuthServer } from '../../dev/auth-server.js';
import { advertisedScopes } from '../../src/mcp/server.js';
import { createAttackTable } from '../helpers/attack-table.js';
import { parseForm, visibleText } from '../helpers/html-page.js';
import { AuthorizationWalk, registerClient, type RegisteredClient, type Stop } from './authorization-walk.js';

/**
 * Per-client consent on the development authorization server (MCP Security Best Practices, "confused deputy"):
 * a sign-in session must not let a newly registered client get a code without a page naming it, since anyone
 * can register a client with any redirect URI. Driven over real HTTP with a cookie jar, as a browser would.
 */
const table = createAttackTable('development server');
const scope = advertisedScopes.join(' ');
const hostile = '<script>alert(1)</script> Evil Tools';
let server: DevAuthServer;
let clientA: RegisteredClient;
let clientB: RegisteredClient;
const browser = () => new AuthorizationWalk(server.issuer);

const pageKind = (html: string): string =>
  html.includes('data-dev-consent') ? 'consent page' : html.includes('data-dev-login') ? 'sign-in page' : 'page';

/** A stop in words, for the attack table. */
const describeStop = (stop: Stop): string =>
  stop.kind === 'redirect'
    ? `redirect to ${stop.url.host} with ${stop.params.has('code') ? 'a code' : `error=${stop.params.get('error')}`}`
    : `${stop.status} ${pageKind(stop.html)}${stop.html.includes('evil.example') ? ' naming evil.example' : ''}`;

function asPage(stop: Stop): Extract<Stop, { kind: 'page' }> {
  if (stop.kind !== 'page') throw new Error(`expected a page, got a ${describeStop(stop)}`);
  return stop;
}

const button = (page: Extract<Stop, { kind: 'page' }>, name: string): [string, string] => {
  const found = parseForm(page.html)?.buttons.find(([n]) => n === name);
  if (!found) throw new Error(`no ${name} button on the page`);
  return found;
};

/** One browser signed in as alice who approved client A on the sign-in page. */
async function signedInBrowser(): Promise<AuthorizationWalk> {
  const walk = browser();
  const signIn = asPage(await walk.start(clientA, scope));
  const done = await walk.submit(signIn, ['user', 'alice']);
  expect(done).toMatchObject({ kind: 'redirect' });
  return walk;
}

beforeAll(async () => {
  server = await startDevAuthServer({ issuer: 'http://127.0.0.1:0', resource: 'http://127.0.0.1:3000/mcp', scopes: [...advertisedScopes] });
  clientA = await registerClient(server.issuer, 'Client A', 'http://127.0.0.1:8976/oauth/callback');
  clientB = await registerClient(server.issuer, hostile, 'https://evil.example/cb');
});
afterAll(async () => {
  table.flush();
  await server?.close();
});

describe('a second client, with a sign-in session', () => {
  it('gets a consent page naming it and the host the code goes to, and no code', async () => {
    const walk = await signedInBrowser();
    const stop = await walk.start(clientB, scope);
    table.add({ name: 'dev-server second client', expected: 'consent page, no code', got: describeStop(stop) });
    const page = asPage(stop);
    expect(page.status).toBe(200);
    const text = visibleText(page.html);
    expect(text).toContain(hostile); // named, as text
    expect(text).toContain(clientB.clientId);
    expect(text).toContain('https://evil.example/cb');
    expect(text).toMatch(/code will be sent to evil\.example/i);
    for (const s of advertisedScopes) expect(text).toContain(s);
    expect(parseForm(page.html)?.buttons).toEqual([
      ['user', 'alice'],
      ['deny', '1'],
    ]);
  });

  it('shows client_name as text, never as markup', async () => {
    const page = asPage(await (await signedInBrowser()).start(clientB, scope));
    const raw = page.html.includes('<script>alert(1)</script>');
    table.add({ name: 'dev-server client_name <script>', expected: 'escaped text', got: raw ? 'raw markup' : 'escaped text' });
    expect(raw).toBe(false);
    expect(page.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('cannot be framed', async () => {
    const page = asPage(await (await signedInBrowser()).start(clientB, scope));
    const framing = `${page.headers.get('x-frame-options')}; ${page.headers.get('content-security-policy')}`;
    table.add({ name: 'dev-server consent page in a frame', expected: "DENY, frame-ancestors 'none'", got: framing });
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('refuses an approval with a wrong CSRF token, from another origin, or for another account', async () => {
    const walk = await signedInBrowser();
    const page = asPage(await walk.start(clientB, scope));
    const forged = await walk.submit(page, ['user', 'alice'], { csrf: 'forged' });
    const crossOrigin = await walk.submit(page, ['user', 'alice'], { origin: 'https://evil.example' });
    const otherAccount = await walk.submit(page, ['user', 'bob']);
    table.add({ name: 'dev-server consent with a forged CSRF token', expected: '403 page', got: describeStop(forged) });
    table.add({ name: 'dev-server consent posted from another origin', expected: '403 page', got: describeStop(crossOrigin) });
    table.add({ name: 'dev-server consent for an account not signed in', expected: '400 page', got: describeStop(otherAccount) });
    expect(forged).toMatchObject({ kind: 'page', status: 403 });
    expect(crossOrigin).toMatchObject({ kind: 'page', status: 403 });
    expect(otherAccount).toMatchObject({ kind: 'page', status: 400 });
  });

  it('Deny sends access_denied to the redirect URI, with no code', async () => {
    const walk = await signedInBrowser();
    const page = asPage(await walk.start(clientB, scope));
    const denied = await walk.submit(page, button(page, 'deny'));
    table.add({ name: 'dev-server consent denied', expected: 'redirect with error=access_denied', got: describeStop(denied) });
    expect(denied).toMatchObject({ kind: 'redirect' });
    if (denied.kind !== 'redirect') return;
    expect(denied.params.get('error')).toBe('access_denied');
    expect(denied.params.has('code')).toBe(false);
  });

  it('Approve sends a code, and the approval is remembered for that client only', async () => {
    const walk = await signedInBrowser();
    const approved = await walk.submit(asPage(await walk.start(clientB, scope)), ['user', 'alice']);
    expect(approved.kind === 'redirect' && approved.params.has('code')).toBe(true);

    const again = await walk.start(clientB, scope);
    expect(again.kind === 'redirect' && again.params.has('code')).toBe(true);
    const clientC = await registerClient(server.issuer, 'Client C', 'https://evil.example/other');
    const third = await walk.start(clientC, scope);
    table.add({ name: 'dev-server third client after approving the second', expected: 'consent page, no code', got: describeStop(third) });
    expect(third).toMatchObject({ kind: 'page', status: 200 });
  });
});

describe('the client already approved, with a sign-in session', () => {
  it('gets its code without a page when its redirect URI is https (its host is its identity)', async () => {
    const walk = await signedInBrowser();
    expect(await walk.submit(asPage(await walk.start(clientB, scope)), ['user', 'alice'])).toMatchObject({ kind: 'redirect' });
    const stop = await walk.start(clientB, scope);
    expect(stop.kind === 'redirect' && stop.params.has('code')).toBe(true);
  });
  it('is asked again when its redirect URI is loopback: any local program can claim it (RFC 8252 §8.6)', async () => {
    const walk = await signedInBrowser();
    const stop = await walk.start(clientA, scope);
    table.add({ name: 'dev-server approved loopback client, second authorization', expected: 'consent page, no code', got: describeStop(stop) });
    expect(stop).toMatchObject({ kind: 'page', status: 200 });
  });
});

describe('without a sign-in session', () => {
  it('the sign-in page is also the consent page: it names the client and the redirect host, and can deny', async () => {
    const walk = browser();
    const page = asPage(await walk.start(clientB, scope));
    const text = visibleText(page.html);
    expect(text).toContain(hostile);
    expect(text).toMatch(/code will be sent to evil\.example/i);
    expect(parseForm(page.html)?.buttons.map(([name]) => name)).toEqual(['user', 'user', 'deny']);
    const denied = await walk.submit(page, button(page, 'deny'));
    expect(denied.kind === 'redirect' && denied.params.get('error')).toBe('access_denied');
  });
});

describe('DEV_AUTH_AUTO_APPROVE', () => {
  it('stays the explicit opt-out: any client gets a code without a page', async () => {
    const auto = await startDevAuthServer({ issuer: 'http://127.0.0.1:0', resource: 'http://127.0.0.1:3000/mcp', scopes: [...advertisedScopes], autoApprove: true });
    try {
      const client = await registerClient(auto.issuer, 'Auto', 'https://evil.example/cb');
      const stop = await new AuthorizationWalk(auto.issuer).start(client, scope);
      expect(stop.kind === 'redirect' && stop.params.has('code')).toBe(true);
    } finally {
      await auto.close();
    }
  });
});
