/**
 * Drives the development authorization server the way a browser would, one step at a time, so a test can see
 * every page it stops at (unlike `OAuthBrowser`, which clicks through them): dynamic registration, the
 * authorization request with PKCE, redirects followed with a cookie jar up to the first page or the redirect URI.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CookieJar } from '../helpers/cookie-jar.js';
import { parseForm } from '../helpers/html-page.js';

export interface RegisteredClient {
  clientId: string;
  redirectUri: string;
}

/** Where an authorization stopped: a page the browser would show, or the client's redirect URI. */
export type Stop =
  | { kind: 'page'; status: number; url: URL; headers: Headers; html: string }
  | { kind: 'redirect'; url: URL; params: URLSearchParams; hops: number };

export async function registerClient(issuer: string, clientName: string, redirectUri: string): Promise<RegisteredClient> {
  const res = await fetch(new URL('/reg', issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: clientName,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
  });
  const body = (await res.json()) as { client_id?: string; error_description?: string };
  if (res.status !== 201 || !body.client_id) throw new Error(`registration failed (${res.status}): ${JSON.stringify(body)}`);
  return { clientId: body.client_id, redirectUri };
}

/** One browser: its cookie jar is its sign-in session, shared by every authorization it walks. */
export class AuthorizationWalk {
  readonly jar = new CookieJar();
  #redirectUri: URL | undefined;

  constructor(readonly issuer: string) {}

  /** Starts an authorization request for `client` and follows it to the first page or the redirect URI. */
  start(client: RegisteredClient, scope: string): Promise<Stop> {
    const url = new URL('/auth', this.issuer);
    const verifier = randomBytes(32).toString('base64url');
    url.search = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      response_type: 'code',
      scope,
      state: randomBytes(8).toString('base64url'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    this.#redirectUri = new URL(client.redirectUri);
    return this.#follow(url, { method: 'GET' });
  }

  /** Submits the page's form (`action`, hidden fields, the pressed button) and follows what it answers. */
  submit(page: Extract<Stop, { kind: 'page' }>, button: [string, string], override: { csrf?: string; origin?: string } = {}): Promise<Stop> {
    const form = parseForm(page.html);
    if (!form) throw new Error(`no form on ${page.url.href}`);
    const fields = new URLSearchParams(form.hidden);
    if (override.csrf !== undefined) fields.set('csrf', override.csrf);
    fields.append(...button);
    const action = new URL(form.action, page.url);
    return this.#follow(action, {
      method: 'POST',
      body: fields,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: override.origin ?? action.origin },
    });
  }

  async #follow(start: URL, init: { method: string; body?: URLSearchParams; headers?: Record<string, string> }): Promise<Stop> {
    let url = start;
    let request = init;
    for (let hops = 0; hops < 10; hops++) {
      const headers = new Headers(request.headers);
      const cookie = this.jar.header(url);
      if (cookie) headers.set('cookie', cookie);
      const res = await fetch(url, { ...request, headers, redirect: 'manual' });
      this.jar.store(url, res.headers.getSetCookie());
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) {
        return { kind: 'page', status: res.status, url, headers: res.headers, html: await res.text() };
      }
      await res.body?.cancel();
      const next = new URL(location, url);
      const target = this.#redirectUri;
      // The redirect URI is never fetched: https://evil.example must not be contacted by a test.
      if (target && next.origin === target.origin && next.pathname === target.pathname) {
        return { kind: 'redirect', url: next, params: next.searchParams, hops };
      }
      url = next;
      request = { method: 'GET' };
    }
    throw new Error(`too many redirects from ${start.href}`);
  }
}
