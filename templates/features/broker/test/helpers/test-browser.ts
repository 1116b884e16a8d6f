/**
 * A browser for broker tests, on fetch: a cookie jar (host-only, Path, Max-Age; Secure is ignored on loopback http as
 * browsers do for localhost), redirects followed by hand until the client's redirect URI, and the consent form
 * submitted the way a person clicks Approve or Deny (with `Origin: null`, what Chromium sends under no-referrer).
 */

export type BrowserStep =
  | { kind: 'page'; url: URL; status: number; html: string; headers: Headers }
  /** Stopped at one of `stopAt` (the client's redirect URI: what the client receives), not fetched. */
  | { kind: 'client'; url: URL; params: URLSearchParams };

interface Cookie {
  host: string;
  name: string;
  value: string;
  expires?: number;
}

export class TestBrowser {
  readonly #cookies = new Map<string, Cookie>();
  /** Every URL this browser was sent to (redirects included), in order. */
  readonly visited: URL[] = [];

  /** URL prefixes at which navigation stops: the client's redirect URIs (nothing listens there), or a step to tamper with. */
  constructor(readonly stopAt: string[]) {}

  cookieNames(host: string): string[] {
    return [...this.#cookies.values()].filter((c) => c.host === host && !this.#expired(c)).map((c) => c.name);
  }

  /** The value of one cookie this browser holds for `host` (what an attacker who copied it would have). */
  cookie(host: string, name: string): string | undefined {
    const cookie = this.#cookies.get(`${host} ${name}`);
    return cookie && !this.#expired(cookie) ? cookie.value : undefined;
  }

  /** Sets a cookie by hand, as an attacker editing their own browser's jar would. */
  plant(host: string, name: string, value: string): void {
    this.#cookies.set(`${host} ${name}`, { host, name, value });
  }

  /** Removes cookies whose name starts with `prefix` (a browser that never had them). */
  forget(prefix: string): void {
    for (const [key, cookie] of this.#cookies) if (cookie.name.startsWith(prefix)) this.#cookies.delete(key);
  }

  async open(url: URL | string): Promise<BrowserStep> {
    return this.#follow(new URL(url), { method: 'GET' });
  }

  /** Submits the consent page's form with the button `decision`; `edit` changes the fields first (an attacker's form). */
  async submit(page: BrowserStep, decision: 'approve' | 'deny', edit: (fields: URLSearchParams) => void = () => undefined): Promise<BrowserStep> {
    if (page.kind !== 'page') throw new Error('test-browser: no page to submit');
    const form = consentFields(page.html);
    form.set('decision', decision);
    edit(form);
    return this.#follow(new URL('/oauth/consent', page.url), {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' },
    });
  }

  /** Sends a request with this browser's cookies, without following redirects. */
  async fetch(url: URL, init: { method: string; body?: URLSearchParams; headers?: Record<string, string> }): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.#header(url);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { method: init.method, headers, redirect: 'manual', ...(init.body ? { body: init.body } : {}) });
    this.#store(url, res.headers.getSetCookie());
    return res;
  }

  async #follow(start: URL, init: { method: string; body?: URLSearchParams; headers?: Record<string, string> }): Promise<BrowserStep> {
    let url = start;
    let request = init;
    for (let hop = 0; hop < 20; hop++) {
      this.visited.push(url);
      // The URL opened or posted to is always fetched; a redirect to a stop URL is not followed.
      if (hop > 0 && this.stopAt.some((prefix) => url.href.startsWith(prefix))) return { kind: 'client', url, params: url.searchParams };
      const res = await this.fetch(url, request);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        url = new URL(location, url);
        request = { method: 'GET' };
        continue;
      }
      return { kind: 'page', url, status: res.status, html: await res.text(), headers: res.headers };
    }
    throw new Error('test-browser: too many redirects');
  }

  #expired(cookie: Cookie): boolean {
    return cookie.expires !== undefined && cookie.expires <= Date.now();
  }

  #store(url: URL, setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const cookie: Cookie = { host: url.host, name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
      for (const attribute of attributes) {
        const [key = '', value = ''] = attribute.split('=');
        if (key.trim().toLowerCase() === 'max-age') cookie.expires = Date.now() + Number(value) * 1000;
      }
      const key = `${cookie.host} ${cookie.name}`;
      if (this.#expired(cookie)) this.#cookies.delete(key);
      else this.#cookies.set(key, cookie);
    }
  }

  #header(url: URL): string | undefined {
    const pairs = [...this.#cookies.values()].filter((c) => c.host === url.host && !this.#expired(c)).map((c) => `${c.name}=${c.value}`);
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }
}

const decode = (text: string): string => text.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');

/** The hidden fields of the consent form. */
export function consentFields(html: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(decode(name!), decode(value!));
  return fields;
}

/** What a person reads on a page: tags dropped, entities decoded, whitespace collapsed. */
export const visibleText = (html: string): string =>
  decode(html.replace(/<(head|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
