/**
 * Every way the broker's authorization flow could be fooled, as an attacker would try it. Each row is also written to
 * the attack table (`ATTACK_TABLE=<file> npm test`): case, what the broker must answer, what it answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttackTable } from '../helpers/attack-table.js';
import { authorizeUrl, pkcePair, postForm, register, startBrokerKit, TestBrowser, type BrokerKit } from '../helpers/broker-test-kit.js';
import { consentFields, type BrowserStep } from '../helpers/test-browser.js';

const table = createAttackTable('broker flow');
let kit: BrokerKit;
let native: string;
let web: string;
let otherWeb: string;
const NATIVE_REDIRECT = 'http://127.0.0.1:8976/callback';
const WEB_REDIRECT = 'https://app.example/oauth/callback';
const OTHER_REDIRECT = 'https://other.example/cb';

beforeAll(async () => {
  kit = await startBrokerKit();
  native = (await register(kit, { client_name: 'Native', redirect_uris: [NATIVE_REDIRECT], application_type: 'native' })).client_id;
  web = (await register(kit, { client_name: 'Web One', redirect_uris: [WEB_REDIRECT] })).client_id;
  otherWeb = (await register(kit, { client_name: 'Web Two', redirect_uris: [OTHER_REDIRECT] })).client_id;
}, 30_000);
afterAll(async () => {
  table.flush();
  await kit?.close();
});

function row(name: string, expected: string, got: string): void {
  table.add({ name, expected, got });
  expect(got, name).toBe(expected);
}

/** What the browser ended on, as the table reads it. */
function outcome(step: BrowserStep): string {
  if (step.kind === 'page') return `page ${step.status}`;
  const error = step.params.get('error');
  return error ? `redirect error=${error}` : step.params.get('code') ? 'redirect with code' : `stopped at ${step.url.pathname}`;
}

async function tokenOutcome(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  return `${res.status}${body.error ? ` ${body.error}` : ''}`;
}

const callbackPrefix = () => `${kit.origin}/oauth/callback`;

/** Consent approved, stopped at the broker's callback (the provider already said yes): a step to tamper with. */
async function toCallback(clientId = native, redirectUri = NATIVE_REDIRECT) {
  const browser = new TestBrowser([redirectUri, callbackPrefix()]);
  const pkce = pkcePair();
  const page = await browser.open(authorizeUrl(kit, { clientId, redirectUri, challenge: pkce.challenge }));
  const atCallback = page.kind === 'page' ? await browser.submit(page, 'approve') : page;
  if (atCallback.kind !== 'client' || !atCallback.url.href.startsWith(callbackPrefix())) throw new Error(`did not reach the callback: ${outcome(atCallback)}`);
  browser.stopAt.splice(browser.stopAt.indexOf(callbackPrefix()), 1);
  return { browser, callback: atCallback.url, pkce };
}

/** A complete sign-in: the code and the PKCE verifier the client holds. */
async function toCode(clientId = native, redirectUri = NATIVE_REDIRECT) {
  const { browser, callback, pkce } = await toCallback(clientId, redirectUri);
  const step = await browser.open(callback);
  if (step.kind !== 'client' || !step.params.get('code')) throw new Error(`no code: ${outcome(step)}`);
  return { code: step.params.get('code')!, verifier: pkce.verifier, browser };
}

const redeem = (code: string, verifier: string, clientId = native, redirectUri = NATIVE_REDIRECT, extra: Record<string, string> = {}) =>
  postForm(kit, '/oauth/token', { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: clientId, ...extra });

describe('broker attacks: consent (confused deputy)', () => {
  it('a second client in a browser that approved the first gets the consent page, not a code', async () => {
    const browser = new TestBrowser([WEB_REDIRECT, OTHER_REDIRECT]);
    const first = await browser.open(authorizeUrl(kit, { clientId: web, redirectUri: WEB_REDIRECT, challenge: pkcePair().challenge }));
    expect(outcome(await browser.submit(first, 'approve'))).toBe('redirect with code');
    const again = await browser.open(authorizeUrl(kit, { clientId: web, redirectUri: WEB_REDIRECT, challenge: pkcePair().challenge }));
    expect(outcome(again)).toBe('redirect with code'); // remembered for the first client…
    const second = await browser.open(authorizeUrl(kit, { clientId: otherWeb, redirectUri: OTHER_REDIRECT, challenge: pkcePair().challenge }));
    row('second client, browser approved the first', 'page 200', outcome(second));
  });

  it('a remembered approval does not cover more scopes than were approved', async () => {
    const browser = new TestBrowser([WEB_REDIRECT]);
    const first = await browser.open(authorizeUrl(kit, { clientId: web, redirectUri: WEB_REDIRECT, challenge: pkcePair().challenge, scope: 'read' }));
    await browser.submit(first, 'approve');
    const wider = await browser.open(authorizeUrl(kit, { clientId: web, redirectUri: WEB_REDIRECT, challenge: pkcePair().challenge, scope: 'read write' }));
    row('remembered consent, more scopes asked', 'page 200', outcome(wider));
  });

  it('refuses consent without its CSRF token, or with another browser’s', async () => {
    const browser = new TestBrowser([NATIVE_REDIRECT]);
    const page = await browser.open(authorizeUrl(kit, { clientId: native, redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge }));
    row('consent without CSRF token', 'page 403', outcome(await browser.submit(page, 'approve', (f) => f.delete('csrf'))));

    // The attacker's own consent form (request + CSRF token from the attacker's browser) posted from the victim's.
    const attacker = new TestBrowser([NATIVE_REDIRECT]);
    const attackerPage = await attacker.open(authorizeUrl(kit, { clientId: native, redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge }));
    const victim = new TestBrowser([NATIVE_REDIRECT]);
    await victim.open(authorizeUrl(kit, { clientId: native, redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge }));
    row('CSRF token of another browser', 'page 403', outcome(await victim.submit(attackerPage, 'approve')));
    expect(victim.visited.some((url) => url.origin === kit.provider.issuer)).toBe(false);
  });

  it('refuses a tampered or expired request in the consent form', async () => {
    const browser = new TestBrowser([NATIVE_REDIRECT, WEB_REDIRECT]);
    const page = await browser.open(authorizeUrl(kit, { clientId: native, redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge }));
    const sealed = consentFields(page.kind === 'page' ? page.html : '').get('request') ?? '';
    const [payload = '', signature = ''] = sealed.split('.');
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { request: { redirectUri: string } };
    decoded.request.redirectUri = WEB_REDIRECT;
    const forged = `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${signature}`;
    row('tampered request blob', 'page 403', outcome(await browser.submit(page, 'approve', (f) => f.set('request', forged))));

    kit.advance(11 * 60);
    try {
      row('consent form submitted after it expired', 'page 400', outcome(await browser.submit(page, 'approve')));
    } finally {
      kit.advance(-11 * 60);
    }
  });

  it('refuses a consent form posted from another origin', async () => {
    const browser = new TestBrowser([NATIVE_REDIRECT]);
    const page = await browser.open(authorizeUrl(kit, { clientId: native, redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge }));
    const res = await browser.fetch(new URL('/oauth/consent', kit.origin), {
      method: 'POST',
      body: new URLSearchParams([...consentFields(page.kind === 'page' ? page.html : ''), ['decision', 'approve']]),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });
    row('consent posted from another origin', '403', String(res.status));
  });
});

describe('broker attacks: the consent page', () => {
  it('escapes what the client declares about itself', async () => {
    const { client_id } = await register(kit, { client_name: '<script>alert(1)</script><img src=x>', redirect_uris: [NATIVE_REDIRECT], application_type: 'native' });
    const page = await new TestBrowser([NATIVE_REDIRECT]).open(authorizeUrl(kit, { clientId: client_id, redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge }));
    const html = page.kind === 'page' ? page.html : '';
    row('client_name with HTML on the consent page', 'escaped', html.includes('<script>') || html.includes('<img') ? 'markup injected' : 'escaped');
  });
});

describe('broker attacks: the authorization request', () => {
  const open = (params: Parameters<typeof authorizeUrl>[1]) => new TestBrowser([NATIVE_REDIRECT, 'javascript:', 'https://evil.example']).open(authorizeUrl(kit, params));

  it('answers an unknown client or an unregistered redirect URI with a page, never a redirect', async () => {
    row('redirect URI not registered', 'page 400', outcome(await open({ clientId: native, redirectUri: 'https://evil.example/cb', challenge: pkcePair().challenge })));
    row('javascript: redirect URI', 'page 400', outcome(await open({ clientId: native, redirectUri: 'javascript:alert(1)', challenge: pkcePair().challenge })));
    row('unknown client_id', 'page 400', outcome(await open({ clientId: 'no-such-client', redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge })));
    const twice = authorizeUrl(kit, { clientId: native, redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge });
    twice.searchParams.append('client_id', web);
    row('client_id sent twice', 'page 400', outcome(await new TestBrowser([NATIVE_REDIRECT]).open(twice)));
  });

  it('requires PKCE with S256', async () => {
    row('missing PKCE', 'redirect error=invalid_request', outcome(await open({ clientId: native, redirectUri: NATIVE_REDIRECT })));
    const plain = 'a'.repeat(43);
    row('PKCE method plain', 'redirect error=invalid_request', outcome(await open({ clientId: native, redirectUri: NATIVE_REDIRECT, challenge: plain, method: 'plain' })));
    row('response_type token', 'redirect error=unsupported_response_type', outcome(await open({ clientId: native, redirectUri: NATIVE_REDIRECT, challenge: plain, extra: { response_type: 'token' } })));
  });

  it('refuses another resource and scopes the server does not have', async () => {
    row('resource of another server', 'redirect error=invalid_target', outcome(await open({ clientId: native, redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge, resource: 'https://other.example/mcp' })));
    row('scope the server does not have', 'redirect error=invalid_scope', outcome(await open({ clientId: native, redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge, scope: 'read admin' })));
  });
});

describe('broker attacks: the callback from the provider', () => {
  it('refuses a tampered, replayed or foreign-browser state, and a callback with nothing pending', async () => {
    const tampered = await toCallback();
    tampered.callback.searchParams.set('state', `${tampered.callback.searchParams.get('state')}x`);
    row('state tampered', 'page 400', outcome(await tampered.browser.open(tampered.callback)));

    const replayed = await toCallback();
    expect(outcome(await replayed.browser.open(replayed.callback))).toBe('redirect with code');
    row('state replayed', 'page 400', outcome(await replayed.browser.open(replayed.callback)));

    const stolen = await toCallback();
    row('state without the browser cookie', 'page 400', outcome(await new TestBrowser([NATIVE_REDIRECT]).open(stolen.callback)));
    // The attempt used the pending authorization up: the victim's own browser cannot be tricked into finishing it later.
    row('state after an attempt from another browser', 'page 400', outcome(await stolen.browser.open(stolen.callback)));

    row('callback with no pending authorization', 'page 400', outcome(await new TestBrowser([NATIVE_REDIRECT]).open(`${kit.origin}/oauth/callback?state=made-up&code=made-up`)));
  });

  it('sends the provider’s refusal and outage to the client as OAuth errors, never a 5xx', async () => {
    const refused = await toCallback();
    const state = refused.callback.searchParams.get('state')!;
    const step = await refused.browser.open(`${kit.origin}/oauth/callback?state=${encodeURIComponent(state)}&error=access_denied`);
    row('provider error access_denied at the callback', 'redirect error=access_denied', outcome(step));
    expect(step.kind === 'client' && [step.params.get('state'), step.params.get('iss')]).toEqual(['client-state-1', kit.origin]);

    const odd = await toCallback();
    const oddState = odd.callback.searchParams.get('state')!;
    row('provider error invalid_request at the callback', 'redirect error=access_denied', outcome(await odd.browser.open(`${kit.origin}/oauth/callback?state=${encodeURIComponent(oddState)}&error=invalid_request`)));

    const down = await toCallback();
    kit.provider.setDown(true);
    try {
      row('provider down at the callback', 'redirect error=temporarily_unavailable', outcome(await down.browser.open(down.callback)));
    } finally {
      kit.provider.setDown(false);
    }
  });
});

describe('broker attacks: the token endpoint', () => {
  it('refuses a wrong PKCE verifier, a reused code (revoking its tokens), another client’s code and an expired code', async () => {
    const wrong = await toCode();
    row('wrong PKCE verifier', '400 invalid_grant', await tokenOutcome(await redeem(wrong.code, pkcePair().verifier)));

    const reused = await toCode();
    const first = (await (await redeem(reused.code, reused.verifier)).json()) as { access_token: string };
    row('code reuse', '400 invalid_grant', await tokenOutcome(await redeem(reused.code, reused.verifier)));
    row('code reuse revokes the first tokens', 'refused', await kit.broker.verifier.verifyAccessToken(first.access_token).then(() => 'accepted', () => 'refused'));

    const foreign = await toCode(web, WEB_REDIRECT);
    row('code of another client', '400 invalid_grant', await tokenOutcome(await redeem(foreign.code, foreign.verifier, native, NATIVE_REDIRECT)));

    const late = await toCode();
    kit.advance(10 * 60);
    try {
      row('expired code', '400 invalid_grant', await tokenOutcome(await redeem(late.code, late.verifier)));
    } finally {
      kit.advance(-10 * 60);
    }
  });

  it('refuses another resource and a wider scope at refresh; a reused refresh token revokes the family', async () => {
    const other = await toCode();
    row('token request for another resource', '400 invalid_target', await tokenOutcome(await redeem(other.code, other.verifier, native, NATIVE_REDIRECT, { resource: 'https://other.example/mcp' })));

    const browser = new TestBrowser([NATIVE_REDIRECT]);
    const pkce = pkcePair();
    const page = await browser.open(authorizeUrl(kit, { clientId: native, redirectUri: NATIVE_REDIRECT, challenge: pkce.challenge, scope: 'read' }));
    const done = await browser.submit(page, 'approve');
    const code = done.kind === 'client' ? done.params.get('code')! : '';
    const tokens = (await (await redeem(code, pkce.verifier)).json()) as { refresh_token: string };
    const refresh = (extra: Record<string, string>) => postForm(kit, '/oauth/token', { grant_type: 'refresh_token', client_id: native, ...extra });
    row('scope widening at refresh', '400 invalid_scope', await tokenOutcome(await refresh({ refresh_token: tokens.refresh_token, scope: 'read write' })));

    const rotated = (await (await refresh({ refresh_token: tokens.refresh_token })).json()) as { access_token: string; refresh_token: string };
    row('refresh token reuse', '400 invalid_grant', await tokenOutcome(await refresh({ refresh_token: tokens.refresh_token })));
    row('refresh reuse revokes the newer refresh token', '400 invalid_grant', await tokenOutcome(await refresh({ refresh_token: rotated.refresh_token })));
    row('refresh reuse revokes the newer access token', 'refused', await kit.broker.verifier.verifyAccessToken(rotated.access_token).then(() => 'accepted', () => 'refused'));
  });

  it('refuses a body over 64 KiB with 413 and an unknown client with 401', async () => {
    row('token request body over 64 KiB', '413', String((await postForm(kit, '/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x'.repeat(70 * 1024) })).status));
    // Chunked, no Content-Length: the cap is counted on the bytes as they arrive.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 80; i++) controller.enqueue(new TextEncoder().encode(`a${i}=${'x'.repeat(1024)}&`));
        controller.close();
      },
    });
    const chunked = await kit.broker.handle(new Request(`${kit.origin}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: chunks, duplex: 'half' } as RequestInit));
    row('token request body over 64 KiB, chunked', '413', String(chunked?.status));
    row('token request of an unknown client', '401 invalid_client', await tokenOutcome(await postForm(kit, '/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x', client_id: 'nobody' })));
  });
});

describe('broker attacks: revocation', () => {
  it('lets a client revoke only its own tokens, and only once authenticated', async () => {
    const victim = await toCode();
    const tokens = (await (await redeem(victim.code, victim.verifier)).json()) as { access_token: string; refresh_token: string };
    const byOther = await postForm(kit, '/oauth/revoke', { token: tokens.refresh_token, client_id: web });
    row('revoke another client’s refresh token', '200, token still valid', `${byOther.status}, token ${await kit.broker.verifier.verifyAccessToken(tokens.access_token).then(() => 'still valid', () => 'revoked')}`);
    row('revoke without client authentication', '401 invalid_client', await tokenOutcome(await postForm(kit, '/oauth/revoke', { token: tokens.access_token })));
    const own = await postForm(kit, '/oauth/revoke', { token: tokens.access_token, client_id: native });
    row('revoke own access token', '200, token revoked', `${own.status}, token ${await kit.broker.verifier.verifyAccessToken(tokens.access_token).then(() => 'still valid', () => 'revoked')}`);
  });
});

describe('broker attacks: CORS', () => {
  it('answers cross-origin reads only on the endpoints clients fetch', async () => {
    const preflight = async (path: string) => {
      const res = await fetch(`${kit.origin}${path}`, { method: 'OPTIONS', headers: { origin: 'https://web-client.example', 'access-control-request-method': 'POST' } });
      return res.headers.get('access-control-allow-origin') ?? 'none';
    };
    for (const path of ['/.well-known/oauth-authorization-server', '/oauth/jwks', '/oauth/register', '/oauth/token', '/oauth/revoke']) {
      row(`CORS preflight ${path}`, '*', await preflight(path));
    }
    for (const path of ['/oauth/authorize', '/oauth/consent', '/oauth/callback']) row(`CORS preflight ${path}`, 'none', await preflight(path));
    const page = await fetch(authorizeUrl(kit, { clientId: native, redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge }), { headers: { origin: 'https://evil.example' } });
    row('CORS on the consent page', 'none', page.headers.get('access-control-allow-origin') ?? 'none');
  });
});
