import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkcePair } from '../helpers/broker-test-kit.js';
import { post } from '../helpers/mcp-client.js';
import { authorizationUrl, CLIENT_REDIRECT, registerClient, startBrokerServer, type BrokerServer } from '../helpers/broker-server.js';
import { TestBrowser } from '../helpers/test-browser.js';

/**
 * Where the broker sits in the HTTP pipeline: after the Host check, before the Origin check (browser-based clients
 * call its token and registration endpoints cross-origin), with its own CORS, CSRF and body limit.
 */
let running: BrokerServer;
beforeAll(async () => {
  running = await startBrokerServer();
}, 30_000);
afterAll(() => running?.close());

const FOREIGN_ORIGIN = 'https://app.example';
const OVER_LIMIT = 'x'.repeat(64 * 1024 + 1);

/** GET with a chosen Host header (fetch does not let a caller set Host). */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { Host: host } }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).once('error', reject).end();
  });
}

/** A body with no Content-Length (chunked): the limit must hold on the bytes received, not on a declared size. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let offset = 0; offset < bytes.length; offset += 8192) controller.enqueue(bytes.slice(offset, offset + 8192));
      controller.close();
    },
  });
}

describe('the broker behind the HTTP checks', () => {
  it("refuses a foreign Host on the broker's paths too (DNS rebinding): 403", async () => {
    expect(await statusWithHost(`${running.origin}/.well-known/oauth-authorization-server`, 'evil.example')).toBe(403);
    expect(await statusWithHost(`${running.origin}/oauth/authorize`, 'evil.example')).toBe(403);
  });

  it('still refuses a foreign Origin at /mcp: 403', async () => {
    const response = await post(running.server.mcpUrl, {}, { Origin: FOREIGN_ORIGIN });
    expect(response.status).toBe(403);
  });

  it('lets a browser-based client of another origin register and reach the token endpoint (CORS), preflight included', async () => {
    const preflight = await fetch(`${running.origin}/oauth/token`, {
      method: 'OPTIONS',
      headers: { Origin: FOREIGN_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const registration = await fetch(`${running.origin}/oauth/register`, {
      method: 'POST',
      headers: { Origin: FOREIGN_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Web client', redirect_uris: [CLIENT_REDIRECT], application_type: 'native', token_endpoint_auth_method: 'none' }),
    });
    expect(registration.status).toBe(201);
    expect(registration.headers.get('access-control-allow-origin')).toBe('*');
    const token = await fetch(`${running.origin}/oauth/token`, {
      method: 'POST',
      headers: { Origin: FOREIGN_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'forged', redirect_uri: CLIENT_REDIRECT, client_id: 'nobody', code_verifier: 'x'.repeat(43) }),
    });
    expect(token.status).toBeGreaterThanOrEqual(400);
    expect(token.status).toBeLessThan(500);
    expect(token.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('gives no CORS to the authorization page, the consent form or the callback (navigations, never fetched)', async () => {
    for (const path of ['/oauth/authorize', '/oauth/callback']) {
      const response = await fetch(`${running.origin}${path}`, { headers: { Origin: FOREIGN_ORIGIN } });
      await response.body?.cancel();
      expect(response.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    const consent = await fetch(`${running.origin}/oauth/consent`, { method: 'OPTIONS', headers: { Origin: FOREIGN_ORIGIN, 'Access-Control-Request-Method': 'POST' } });
    await consent.body?.cancel();
    expect(consent.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a consent form without its CSRF token: 403, and never sends the browser to the provider', async () => {
    const clientId = await registerClient(running.origin);
    const browser = new TestBrowser([CLIENT_REDIRECT, `${running.provider.origin}/`]);
    const page = await browser.open(authorizationUrl(running.origin, running.server.mcpUrl, clientId, pkcePair().challenge));
    const before = running.provider.requests[running.expected.authorizePath] ?? 0;
    const refused = await browser.submit(page, 'approve', (fields) => fields.delete('csrf'));
    expect(refused.kind === 'page' && refused.status).toBe(403);
    expect(running.provider.requests[running.expected.authorizePath] ?? 0).toBe(before);
    // The same form with its token goes through (to the provider): the refusal was the CSRF check's, not the Origin check's.
    const approved = await browser.submit(page, 'approve');
    expect(approved.kind === 'client' && approved.url.href.startsWith(`${running.provider.origin}/`)).toBe(true);
  });

  it('passes on every Set-Cookie of one answer (approval remembered + provider flow binding), not one joined header', async () => {
    const webRedirect = 'https://app.example/oauth/callback';
    const registration = await fetch(`${running.origin}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Web client', redirect_uris: [webRedirect], application_type: 'web', token_endpoint_auth_method: 'none' }),
    });
    const { client_id: clientId } = (await registration.json()) as { client_id: string };
    const browser = new TestBrowser([webRedirect, `${running.provider.origin}/`]);
    const url = authorizationUrl(running.origin, running.server.mcpUrl, clientId, pkcePair().challenge);
    url.searchParams.set('redirect_uri', webRedirect);
    const page = await browser.open(url);
    const host = new URL(running.origin).host;
    const before = browser.cookieNames(host);
    const approved = await browser.submit(page, 'approve');
    expect(approved.kind).toBe('client');
    expect(browser.cookieNames(host).filter((name) => !before.includes(name))).toHaveLength(2);
  });

  it('refuses a registration or token request over 64 KiB with 413, declared or chunked', async () => {
    const register = await fetch(`${running.origin}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"client_name":"${OVER_LIMIT}"}` });
    expect(register.status).toBe(413);
    const token = await fetch(`${running.origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: chunked(`grant_type=authorization_code&code=${OVER_LIMIT}`),
      duplex: 'half',
    } as RequestInit);
    expect(token.status).toBe(413);
  });
});
