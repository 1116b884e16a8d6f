/**
 * A minimal cookie jar for the tests' headless browsers (OAuthBrowser, AuthorizationWalk): host + path matching,
 * expiry, no Domain sharing (all hosts are loopback in tests). The development authorization server keeps its
 * sign-in session in cookies; without them oidc-provider answers "interaction session id cookie not found".
 */
export class CookieJar {
  readonly #cookies = new Map<string, { host: string; path: string; name: string; value: string; expires?: number }>();

  store(url: URL, setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = url.pathname.slice(0, url.pathname.lastIndexOf('/')) || '/';
      let expires: number | undefined;
      for (const attribute of attributes) {
        const [key = '', ...rest] = attribute.split('=');
        const v = rest.join('=').trim();
        const k = key.trim().toLowerCase();
        if (k === 'path' && v.startsWith('/')) path = v;
        else if (k === 'max-age') expires = Date.now() + Number(v) * 1000;
        else if (k === 'expires' && expires === undefined) expires = Date.parse(v);
      }
      const key = `${url.host} ${path} ${name}`;
      if (expires !== undefined && !(expires > Date.now())) this.#cookies.delete(key);
      else this.#cookies.set(key, { host: url.host, path, name, value, ...(expires === undefined ? {} : { expires }) });
    }
  }

  header(url: URL): string | undefined {
    const now = Date.now();
    const pairs: string[] = [];
    for (const c of this.#cookies.values()) {
      if (c.host !== url.host || (c.expires !== undefined && c.expires <= now)) continue;
      if (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)) {
        pairs.push(`${c.name}=${c.value}`);
      }
    }
    return pairs.length ? pairs.join('; ') : undefined;
  }
}
