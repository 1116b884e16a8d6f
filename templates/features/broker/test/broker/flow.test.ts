import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerAccessOf } from '../../src/broker/index.js';
import { authorizeUrl, pkcePair, postForm, register, startBrokerKit, TestBrowser, type BrokerKit } from '../helpers/broker-test-kit.js';
import { visibleText } from '../helpers/test-browser.js';

let kit: BrokerKit;
beforeAll(async () => {
  kit = await startBrokerKit();
}, 30_000);
afterAll(() => kit?.close());

const NATIVE_REDIRECT = 'http://127.0.0.1:8976/callback';
const WEB_REDIRECT = 'https://app.example/oauth/callback';

/** Authorization through consent to the client's redirect URI, then the code for tokens: what an MCP client does. */
async function signIn(client: { clientId: string; redirectUri: string; clientSecret?: string; basic?: boolean }, browser = new TestBrowser([client.redirectUri])) {
  const { verifier, challenge } = pkcePair();
  let step = await browser.open(authorizeUrl(kit, { clientId: client.clientId, redirectUri: client.redirectUri, challenge }));
  const consent = step;
  if (step.kind === 'page') step = await browser.submit(step, 'approve');
  if (step.kind !== 'client') throw new Error(`no redirect to the client: ${step.status} ${visibleText(step.html)}`);
  const form: Record<string, string> = { grant_type: 'authorization_code', code: step.params.get('code') ?? '', redirect_uri: client.redirectUri, code_verifier: verifier };
  const headers: Record<string, string> = {};
  if (client.basic) headers['authorization'] = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
  else {
    form['client_id'] = client.clientId;
    if (client.clientSecret) form['client_secret'] = client.clientSecret;
  }
  const res = await postForm(kit, '/oauth/token', form, headers);
  return { consent, redirect: step.params, status: res.status, tokens: (await res.json()) as Record<string, string>, headers: res.headers, browser };
}

describe('broker flow', () => {
  it('publishes RFC 8414 metadata naming every endpoint, S256 only, CIMD and the iss parameter', async () => {
    const res = await fetch(`${kit.origin}/.well-known/oauth-authorization-server`);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({
      issuer: kit.origin,
      authorization_endpoint: `${kit.origin}/oauth/authorize`,
      token_endpoint: `${kit.origin}/oauth/token`,
      registration_endpoint: `${kit.origin}/oauth/register`,
      revocation_endpoint: `${kit.origin}/oauth/revoke`,
      jwks_uri: `${kit.origin}/oauth/jwks`,
      scopes_supported: ['read', 'write'],
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    });
    expect(kit.broker.issuer).toBe(kit.origin);
    expect(kit.broker.callbackUrl).toBe(`${kit.origin}/oauth/callback`);
  });

  it('publishes its ES256 public keys at the jwks_uri, without private parts', async () => {
    const { keys } = (await (await fetch(`${kit.origin}/oauth/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(keys.some((key) => 'd' in key)).toBe(false);
  });

  it('takes a DCR client from consent to tokens the verifier accepts, with the provider token behind them; refresh and revoke', async () => {
    const { client_id } = await register(kit, { client_name: 'Inspector <test>', redirect_uris: [NATIVE_REDIRECT], application_type: 'native' });
    const result = await signIn({ clientId: client_id, redirectUri: NATIVE_REDIRECT });
    // The consent page names the client (escaped), the scopes, the redirect host, and warns: loopback only.
    if (result.consent.kind !== 'page') throw new Error('no consent page');
    expect(result.consent.status).toBe(200);
    expect(result.consent.html).toContain('Inspector &#60;test&#62;');
    expect(visibleText(result.consent.html)).toMatch(/read.*write/);
    expect(visibleText(result.consent.html)).toContain('127.0.0.1:8976');
    expect(visibleText(result.consent.html)).toContain('any program running on it could claim');
    expect(result.consent.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(result.consent.headers.get('x-frame-options')).toBe('DENY');
    expect(result.consent.headers.get('cache-control')).toBe('no-store');
    expect(result.consent.headers.get('referrer-policy')).toBe('no-referrer');
    expect(result.redirect.get('state')).toBe('client-state-1');
    expect(result.redirect.get('iss')).toBe(kit.origin);
    expect(result.status).toBe(200);
    expect(result.headers.get('cache-control')).toBe('no-store');
    expect(result.tokens).toMatchObject({ token_type: 'Bearer', scope: 'read write' });

    const auth = await kit.broker.verifier.verifyAccessToken(result.tokens['access_token']!);
    expect(auth.clientId).toBe(client_id);
    expect(auth.scopes).toEqual(['read', 'write']);
    expect((auth.extra as { subject: string }).subject).toBe('alice');
    const provider = providerAccessOf(auth);
    if (!provider) throw new Error('no provider access');
    const me = await fetch(`${kit.provider.issuer}/me`, { headers: { authorization: `Bearer ${await provider.accessToken()}` } });
    expect(((await me.json()) as { id: string }).id).toBe('alice');
    // The provider's token is not the broker's: a client never holds it.
    expect(await provider.accessToken()).not.toBe(result.tokens['access_token']);

    const refreshed = await postForm(kit, '/oauth/token', { grant_type: 'refresh_token', refresh_token: result.tokens['refresh_token']!, client_id });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as Record<string, string>;
    expect(next['refresh_token']).not.toBe(result.tokens['refresh_token']);
    await expect(kit.broker.verifier.verifyAccessToken(next['access_token']!)).resolves.toMatchObject({ clientId: client_id });

    const revoked = await postForm(kit, '/oauth/revoke', { token: next['refresh_token']!, client_id });
    expect(revoked.status).toBe(200);
    await expect(kit.broker.verifier.verifyAccessToken(next['access_token']!)).rejects.toThrow();
    expect((await postForm(kit, '/oauth/revoke', { token: 'never-issued', client_id })).status).toBe(200);
  });

  it('takes a CIMD client (its document served over loopback http in development) from consent to tokens', async () => {
    const clientId = `${kit.origin}/clients/cimd-app.json`;
    kit.serve('/clients/cimd-app.json', { client_id: clientId, client_name: 'CIMD App', redirect_uris: [WEB_REDIRECT], token_endpoint_auth_method: 'none' });
    const result = await signIn({ clientId, redirectUri: WEB_REDIRECT });
    if (result.consent.kind !== 'page') throw new Error('no consent page');
    expect(visibleText(result.consent.html)).toContain(`client metadata published at ${new URL(kit.origin).host}`);
    expect(visibleText(result.consent.html)).not.toContain('any program running on it could claim');
    expect(result.status).toBe(200);
    const auth = await kit.broker.verifier.verifyAccessToken(result.tokens['access_token']!);
    expect(auth.clientId).toBe(clientId);
  });

  it('authenticates a confidential client with client_secret_basic and refuses it without its secret', async () => {
    const registered = await register(kit, { client_name: 'Web', redirect_uris: [WEB_REDIRECT], token_endpoint_auth_method: 'client_secret_basic' });
    const ok = await signIn({ clientId: registered.client_id, redirectUri: WEB_REDIRECT, clientSecret: registered.client_secret!, basic: true });
    expect(ok.status).toBe(200);
    const refused = await signIn({ clientId: registered.client_id, redirectUri: WEB_REDIRECT }, ok.browser);
    expect(refused.status).toBe(401);
    expect(refused.tokens['error']).toBe('invalid_client');
  });

  it('remembers an approval for a web client in this browser: the next sign-in skips the page', async () => {
    const { client_id } = await register(kit, { client_name: 'Remembered', redirect_uris: [WEB_REDIRECT] });
    const first = await signIn({ clientId: client_id, redirectUri: WEB_REDIRECT });
    expect(first.consent.kind).toBe('page');
    const second = await signIn({ clientId: client_id, redirectUri: WEB_REDIRECT }, first.browser);
    expect(second.consent.kind).toBe('client');
    expect(second.status).toBe(200);
  });

  it('never remembers an approval for a loopback redirect URI: any local program could use it', async () => {
    const { client_id } = await register(kit, { client_name: 'Local', redirect_uris: [NATIVE_REDIRECT], application_type: 'native' });
    const first = await signIn({ clientId: client_id, redirectUri: NATIVE_REDIRECT });
    const second = await signIn({ clientId: client_id, redirectUri: NATIVE_REDIRECT }, first.browser);
    expect(second.consent.kind).toBe('page');
  });

  it('lets a user deny: the client hears access_denied with its state and the issuer', async () => {
    const { client_id } = await register(kit, { client_name: 'Denied', redirect_uris: [NATIVE_REDIRECT], application_type: 'native' });
    const browser = new TestBrowser([NATIVE_REDIRECT]);
    const page = await browser.open(authorizeUrl(kit, { clientId: client_id, redirectUri: NATIVE_REDIRECT, challenge: pkcePair().challenge }));
    const step = await browser.submit(page, 'deny');
    expect(step.kind === 'client' && Object.fromEntries(step.params)).toMatchObject({ error: 'access_denied', state: 'client-state-1', iss: kit.origin });
    expect(browser.visited.some((url) => url.origin === kit.provider.issuer)).toBe(false);
  });
});
