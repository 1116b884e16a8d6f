/**
 * The security audit's attacks on the authorization server, next to attacks.test.ts: copied or re-signed browser
 * state (consent cookies, the sealed request), client ids and redirect URIs an attacker chooses, tokens presented by
 * the wrong client, and the headers that keep the consent page out of frames, caches and Referer headers. Rows go
 * to the attack table (`ATTACK_TABLE=<file> npm test`) like the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentCookieName } from '../../src/broker/cookies.js';
import { isClaimableLocally } from '../../src/broker/endpoints/authorization-request.js';
import { MAX_PENDING_PER_MINUTE, pendingCountKey } from '../../src/broker/endpoints/pending.js';
import { createFileStore } from '../../src/broker/file-store.js';
import type { BrokerStore } from '../../src/broker/contracts.js';
import { createAttackTable } from '../helpers/attack-table.js';
import { authorizeUrl, pkcePair, postForm, register, SCOPES, startBrokerKit, TestBrowser, type BrokerKit, type BrowserStep } from '../helpers/broker-test-kit.js';
import { consentFields } from '../helpers/test-browser.js';

const table = createAttackTable('broker audit');
let kit: BrokerKit;
/** The broker's store, in the test's hands: to bring the sign-in counter to its cap without 600 sign-ins. */
let store: BrokerStore;
let host: string;
let native: string;
let webA: string;
let webB: string;
let twoUris: string;
const NATIVE_REDIRECT = 'http://127.0.0.1:8976/callback';
const A_REDIRECT = 'https://a.example/cb';
const B_REDIRECT = 'https://b.example/cb';
const FIRST_URI = 'https://c.example/one';
const SECOND_URI = 'https://c.example/two';

beforeAll(async () => {
  store = await createFileStore({ now: () => Math.floor(Date.now() / 1000) });
  kit = await startBrokerKit({ store });
  host = new URL(kit.origin).host;
  native = (await register(kit, { client_name: 'Native', redirect_uris: [NATIVE_REDIRECT], application_type: 'native' })).client_id;
  webA = (await register(kit, { client_name: 'Web A', redirect_uris: [A_REDIRECT] })).client_id;
  webB = (await register(kit, { client_name: 'Web B', redirect_uris: [B_REDIRECT] })).client_id;
  twoUris = (await register(kit, { client_name: 'Two URIs', redirect_uris: [FIRST_URI, SECOND_URI] })).client_id;
}, 30_000);
afterAll(async () => {
  table.flush();
  await kit?.close();
  await store?.close();
});

function row(name: string, expected: string, got: string): void {
  table.add({ name, expected, got });
  expect(got, name).toBe(expected);
}

function outcome(step: BrowserStep): string {
  if (step.kind === 'page') return `page ${step.status}`;
  const error = step.params.get('error');
  return error ? `redirect error=${error}` : step.params.get('code') ? 'redirect with code' : `stopped at ${step.url.pathname}`;
}

async function jsonOutcome(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  return `${res.status}${body.error ? ` ${body.error}` : ''}`;
}

const authorize = (browser: TestBrowser, clientId: string, redirectUri: string, scope?: string) =>
  browser.open(authorizeUrl(kit, { clientId, redirectUri, challenge: pkcePair().challenge, ...(scope ? { scope } : {}) }));

/** Approves `clientId` once in `browser`, and returns the name and value of the consent cookie that remembers it. */
async function approveAndCopyConsentCookie(browser: TestBrowser, clientId: string, redirectUri: string) {
  const before = new Set(browser.cookieNames(host));
  const page = await authorize(browser, clientId, redirectUri);
  expect(outcome(await browser.submit(page, 'approve'))).toBe('redirect with code');
  const name = browser.cookieNames(host).find((n) => n.startsWith('__Host-mcp-broker-consent-') && !before.has(n));
  expect(name).toBeDefined();
  // The control: the cookie really remembers the approval for its own client and redirect URI.
  expect(outcome(await authorize(browser, clientId, redirectUri))).toBe('redirect with code');
  return { name: name!, value: browser.cookie(host, name!)! };
}

/** A sign-in of the native client to its code, then the code for tokens. */
async function tokensOfNative() {
  const browser = new TestBrowser([NATIVE_REDIRECT]);
  const pkce = pkcePair();
  const page = await browser.open(authorizeUrl(kit, { clientId: native, redirectUri: NATIVE_REDIRECT, challenge: pkce.challenge }));
  const back = await browser.submit(page, 'approve');
  const code = back.kind === 'client' ? (back.params.get('code') ?? '') : '';
  const res = await postForm(kit, '/oauth/token', { grant_type: 'authorization_code', code, code_verifier: pkce.verifier, redirect_uri: NATIVE_REDIRECT, client_id: native });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; refresh_token: string };
}

const accepted = (token: string) => kit.broker.verifier.verifyAccessToken(token).then(() => 'accepted', () => 'refused');

describe('broker audit: remembered consent cannot be moved', () => {
  it("a consent cookie of client A replayed for client B: B gets the consent page", async () => {
    const browser = new TestBrowser([A_REDIRECT, B_REDIRECT]);
    const cookieA = await approveAndCopyConsentCookie(browser, webA, A_REDIRECT);
    const nameForB = await consentCookieName({ clientId: webB, redirectUri: B_REDIRECT, scopes: SCOPES });
    browser.plant(host, nameForB, cookieA.value);
    row("client A's consent cookie under client B's name", 'page 200', outcome(await authorize(browser, webB, B_REDIRECT)));
  });

  it('a consent cookie signed for another redirect_uri of the same client: the consent page', async () => {
    const browser = new TestBrowser([FIRST_URI, SECOND_URI]);
    const first = await approveAndCopyConsentCookie(browser, twoUris, FIRST_URI);
    row('approval of one redirect URI, other redirect URI asked', 'page 200', outcome(await authorize(browser, twoUris, SECOND_URI)));
    browser.plant(host, await consentCookieName({ clientId: twoUris, redirectUri: SECOND_URI, scopes: SCOPES }), first.value);
    row('consent cookie copied to another redirect URI', 'page 200', outcome(await authorize(browser, twoUris, SECOND_URI)));
  });
});

describe('broker audit: approvals for redirect URIs any local program could claim are never remembered', () => {
  it('counts every spelling of this machine as local', () => {
    const spellings = ['https://127.0.0.2/cb', 'https://127.1.2.3:8443/cb', 'https://2130706433/cb', 'https://0.0.0.0/cb', 'https://localhost./cb', 'https://[::ffff:127.0.0.1]/cb', 'https://[0:0:0:0:0:0:0:1]/cb'];
    row('loopback spellings counted as claimable locally', 'all', spellings.filter((uri) => !isClaimableLocally(uri)).join(' ') || 'all');
    expect(isClaimableLocally('https://192.0.2.10/cb')).toBe(false);
  });

  it.each(['https://127.0.0.2/cb', 'https://localhost./cb'])('shows the consent page again for %s after an approval', async (redirectUri) => {
    const { client_id } = await register(kit, { client_name: 'Loopback in disguise', redirect_uris: [redirectUri] });
    const browser = new TestBrowser([redirectUri]);
    const first = await authorize(browser, client_id, redirectUri);
    expect(outcome(await browser.submit(first, 'approve'))).toBe('redirect with code');
    row(`second sign-in, redirect URI ${redirectUri}`, 'page 200', outcome(await authorize(browser, client_id, redirectUri)));
  });
});

describe('broker audit: the sealed request in the consent form', () => {
  it('refuses the blob with a widened scope, and the blob and CSRF token of another browser', async () => {
    const browser = new TestBrowser([NATIVE_REDIRECT]);
    const page = await authorize(browser, native, NATIVE_REDIRECT, 'read');
    const sealed = consentFields(page.kind === 'page' ? page.html : '').get('request') ?? '';
    const dot = sealed.lastIndexOf('.');
    const decoded = JSON.parse(Buffer.from(sealed.slice(0, dot), 'base64url').toString()) as { request: { scopes: string[] } };
    decoded.request.scopes = ['read', 'write'];
    const widened = `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}${sealed.slice(dot)}`;
    row('sealed request with a widened scope', 'page 403', outcome(await browser.submit(page, 'approve', (f) => f.set('request', widened))));

    // The attacker's blob and CSRF token, submitted by a victim browser that has its own browser cookie.
    const attacker = new TestBrowser([NATIVE_REDIRECT]);
    const attackerPage = await authorize(attacker, native, NATIVE_REDIRECT);
    const victim = new TestBrowser([NATIVE_REDIRECT]);
    await authorize(victim, native, NATIVE_REDIRECT);
    row("another browser's request and CSRF token", 'page 403', outcome(await victim.submit(attackerPage, 'approve')));
    expect(victim.visited.some((url) => url.origin === kit.provider.issuer)).toBe(false);
  });

  it('refuses the untouched blob once it expired, even in the browser it was made for', async () => {
    const browser = new TestBrowser([NATIVE_REDIRECT]);
    const page = await authorize(browser, native, NATIVE_REDIRECT);
    kit.advance(601);
    try {
      row('sealed request replayed after its expiry', 'page 400', outcome(await browser.submit(page, 'approve')));
    } finally {
      kit.advance(-601);
    }
    expect(browser.visited.some((url) => url.origin === kit.provider.issuer)).toBe(false);
  });
});

describe('broker audit: client ids and redirect URIs an attacker picks', () => {
  it('refuses a CIMD client_id with a fragment, or with a query its document does not repeat', async () => {
    const url = kit.serve('/audit-client.json', { client_id: `${kit.origin}/audit-client.json`, client_name: 'Audit CIMD', redirect_uris: [NATIVE_REDIRECT] });
    const browser = new TestBrowser([NATIVE_REDIRECT]);
    expect(outcome(await authorize(browser, url, NATIVE_REDIRECT))).toBe('page 200'); // the control: the document is fine
    row('CIMD client_id with a fragment', 'page 400', outcome(await authorize(browser, `${url}#admin`, NATIVE_REDIRECT)));
    row('CIMD client_id with a query the document does not name', 'page 400', outcome(await authorize(browser, `${url}?as=other`, NATIVE_REDIRECT)));
  });

  it('refuses registrations with 11 redirect URIs, javascript:, data: or non-loopback http redirect URIs', async () => {
    const registerRaw = (metadata: Record<string, unknown>) =>
      fetch(`${kit.origin}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) });
    const eleven = Array.from({ length: 11 }, (_, i) => `https://many.example/cb${i}`);
    expect(await jsonOutcome(await registerRaw({ redirect_uris: eleven.slice(0, 10) }))).toBe('201'); // ten is the limit
    row('registration with 11 redirect URIs', '400 invalid_redirect_uri', await jsonOutcome(await registerRaw({ redirect_uris: eleven })));
    row('registration with a javascript: redirect URI', '400 invalid_redirect_uri', await jsonOutcome(await registerRaw({ redirect_uris: ['javascript:alert(document.cookie)//'] })));
    row('registration with a data: redirect URI', '400 invalid_redirect_uri', await jsonOutcome(await registerRaw({ redirect_uris: ['data:text/html,<script>alert(1)</script>'] })));
    row('registration with http to a network host', '400 invalid_redirect_uri', await jsonOutcome(await registerRaw({ redirect_uris: ['http://evil.example/cb'], application_type: 'native' })));
  });
});

describe('broker audit: PKCE challenges no code could be issued for', () => {
  it.each([['44 characters', 'a'.repeat(44)], ['a character base64url does not have', `${'a'.repeat(42)}~`]])(
    'refuses a code_challenge of %s at once, not after the provider sign-in',
    async (what, challenge) => {
      const browser = new TestBrowser([NATIVE_REDIRECT]);
      const step = await browser.open(authorizeUrl(kit, { clientId: native, redirectUri: NATIVE_REDIRECT, challenge }));
      row(`code_challenge of ${what}`, 'redirect error=invalid_request', outcome(step));
      expect(browser.visited.some((url) => url.origin === kit.provider.issuer)).toBe(false);
    },
  );
});

describe('broker audit: tokens presented by the wrong client', () => {
  it('refuses a refresh token used by another client, and ends the family it leaked from', async () => {
    const tokens = await tokensOfNative();
    const stolen = await postForm(kit, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: webA });
    row("another client's refresh token", '400 invalid_grant', await jsonOutcome(stolen));
    row('the owner after its refresh token was presented by another client', '400 invalid_grant', await jsonOutcome(await postForm(kit, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: native })));
    row('the access token of that family', 'refused', await accepted(tokens.access_token));
  });

  it("ignores a revocation of another client's access or refresh token", async () => {
    const tokens = await tokensOfNative();
    for (const [kind, token] of [['access', tokens.access_token], ['refresh', tokens.refresh_token]] as const) {
      const res = await postForm(kit, '/oauth/revoke', { token, client_id: webA });
      row(`revocation of another client's ${kind} token`, '200, token accepted', `${res.status}, token ${await accepted(tokens.access_token)}`);
    }
    const refreshed = await postForm(kit, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: native });
    expect(refreshed.status).toBe(200);
  });
});

describe('broker audit: headers of the pages', () => {
  const pageHeaders = (headers: Headers) => ({
    frameAncestors: /(^|;)\s*frame-ancestors 'none'\s*(;|$)/.test(headers.get('content-security-policy') ?? ''),
    xFrameOptions: headers.get('x-frame-options'),
    cacheControl: headers.get('cache-control'),
    referrerPolicy: headers.get('referrer-policy'),
  });
  const expected = { frameAncestors: true, xFrameOptions: 'DENY', cacheControl: 'no-store', referrerPolicy: 'no-referrer' };

  it('sends the consent page and the error pages unframeable, uncached, without Referer', async () => {
    const consent = await authorize(new TestBrowser([NATIVE_REDIRECT]), native, NATIVE_REDIRECT);
    if (consent.kind !== 'page') throw new Error('no consent page');
    expect(consent.status).toBe(200);
    row('consent page headers', JSON.stringify(expected), JSON.stringify(pageHeaders(consent.headers)));
    const unknown = await authorize(new TestBrowser([NATIVE_REDIRECT]), 'no-such-client', NATIVE_REDIRECT);
    if (unknown.kind !== 'page') throw new Error('no error page');
    row('error page headers', JSON.stringify(expected), JSON.stringify(pageHeaders(unknown.headers)));
  });

  it('sends the redirects that carry a code or a state uncached and without Referer', async () => {
    const browser = new TestBrowser([NATIVE_REDIRECT]);
    const page = await authorize(browser, native, NATIVE_REDIRECT);
    const res = await browser.fetch(new URL('/oauth/consent', kit.origin), {
      method: 'POST',
      body: new URLSearchParams([...consentFields(page.kind === 'page' ? page.html : ''), ['decision', 'approve']]),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' },
    });
    expect(res.status).toBe(302);
    row('redirect to the provider: Cache-Control, Referrer-Policy', 'no-store, no-referrer', `${res.headers.get('cache-control')}, ${res.headers.get('referrer-policy')}`);
  });
});

describe('broker audit: a flood of sign-ins', () => {
  it('caps the sign-ins started per minute: past the cap nothing is stored and the client hears temporarily_unavailable', async () => {
    // The attack: one consent form (request + CSRF token of the attacker's own browser) posted again and again.
    const minute = Math.floor(Date.now() / 1000 / 60);
    for (const m of [minute, minute + 1]) for (let i = 0; i < MAX_PENDING_PER_MINUTE; i++) await store.increment(pendingCountKey(m), 120);
    const browser = new TestBrowser([NATIVE_REDIRECT]);
    const page = await authorize(browser, native, NATIVE_REDIRECT);
    row('consent form replayed past the per-minute cap of sign-ins', 'redirect error=temporarily_unavailable', outcome(await browser.submit(page, 'approve')));
    row('consent form replayed again', 'redirect error=temporarily_unavailable', outcome(await browser.submit(page, 'approve')));
    expect(browser.visited.some((url) => url.origin === kit.provider.issuer)).toBe(false);
    kit.advance(120);
    try {
      const later = await authorize(browser, native, NATIVE_REDIRECT);
      row('a sign-in in a later minute', 'redirect with code', outcome(await browser.submit(later, 'approve')));
    } finally {
      kit.advance(-120);
    }
  });
});
