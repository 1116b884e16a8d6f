import { createHash, randomBytes } from 'node:crypto';

/** Where the bench's MCP client says it wants the code: nothing listens there, the redirect is read, not followed. */
export const CLIENT_REDIRECT = 'http://127.0.0.1:8976/callback';

/**
 * What an MCP client and its user's browser do against a broker at `origin` (here: the round-robin proxy, so each step
 * may land on another replica): register (RFC 7591), authorize with PKCE, approve the consent page, pass through the
 * provider (the stand-in signs the user in at once) and its callback, and redeem the code. Cookies are kept per
 * host, as a browser does. Resolves with the client id and the token response.
 */
export async function signIn(origin, mcpUrl, { scope = 'read write' } = {}) {
  const registered = await fetch(`${origin}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Bench client', redirect_uris: [CLIENT_REDIRECT], application_type: 'native' }),
  });
  if (registered.status !== 201) throw new Error(`registration answered ${registered.status}: ${await registered.text()}`);
  const { client_id: clientId } = await registered.json();
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(`${origin}/oauth/authorize`);
  const params = { response_type: 'code', client_id: clientId, redirect_uri: CLIENT_REDIRECT, code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', state: 'bench', scope, resource: mcpUrl };
  for (const [name, value] of Object.entries(params)) authorize.searchParams.set(name, value);

  const jar = new Map(); // host → Map(name → value)
  const send = async (url, init = {}) => {
    const headers = new Headers(init.headers);
    const cookies = jar.get(url.host);
    if (cookies?.size) headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (!jar.has(url.host)) jar.set(url.host, new Map());
      const gone = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (gone) jar.get(url.host).delete(pair.slice(0, eq).trim());
      else jar.get(url.host).set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  };

  let url = authorize;
  let init = {};
  for (let hop = 0; hop < 10; hop++) {
    const res = await send(url, init);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = new URL(location, url);
      init = {};
      if (!url.href.startsWith(CLIENT_REDIRECT)) continue;
      const code = url.searchParams.get('code');
      if (!code) throw new Error(`the broker redirected to the client without a code: ${url.search}`);
      const answer = await fetch(`${origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, redirect_uri: CLIENT_REDIRECT }),
      });
      if (answer.status !== 200) throw new Error(`the token endpoint answered ${answer.status}: ${await answer.text()}`);
      return { clientId, tokens: await answer.json() };
    }
    const html = await res.text();
    if (res.status !== 200 || !html.includes('name="csrf"')) throw new Error(`sign-in stopped at ${url.pathname} with ${res.status}: ${html.slice(0, 300)}`);
    // The consent page: its hidden fields, and Approve (Origin: null is what a browser sends under no-referrer).
    const form = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(name, unescapeHtml(value));
    form.set('decision', 'approve');
    url = new URL('/oauth/consent', url);
    init = { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' } };
  }
  throw new Error('sign-in: too many redirects');
}

/** Revokes a token (RFC 7009) for a public client: the broker ends the whole grant. */
export async function revoke(origin, clientId, token) {
  const res = await fetch(`${origin}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: clientId, token }) });
  await res.body?.cancel();
  if (res.status !== 200) throw new Error(`revocation answered ${res.status}`);
}

const unescapeHtml = (text) =>
  text.replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(Number(code))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
