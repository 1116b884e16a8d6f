/**
 * A headless "browser" for tests: an `OAuthClientProvider` for the MCP SDK client whose
 * `redirectToAuthorization` walks the authorization flow with plain `fetch` (manual redirects and a
 * cookie jar), submits the development sign-in form for a chosen user, and stops at the redirect URI
 * with the authorization code. No real browser, no outside account.
 */
import { randomBytes } from 'node:crypto';
import { auth, Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import type {
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  OAuthTokens,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { CookieJar } from './cookie-jar.js';
import { parseForm, visibleText } from './html-page.js';

export interface OAuthBrowserOptions {
  /** Development user to sign in as when the sign-in form is shown (default: the first one offered). */
  userId?: string;
  /** `client_name` sent at dynamic client registration. */
  clientName?: string;
  /** Replaces the `scope` of the authorization request, like a user granting less than the client asked for. */
  scope?: string;
  /** Redirect URI to register; nothing needs to listen there (default http://127.0.0.1:8976/oauth/callback). */
  redirectUrl?: string;
}

export class OAuthBrowser implements OAuthClientProvider {
  readonly jar = new CookieJar();
  readonly #options: OAuthBrowserOptions;
  readonly #redirectUrl: string;
  #clientInformation: StoredOAuthClientInformation | undefined;
  #tokens: StoredOAuthTokens | undefined;
  #codeVerifier: string | undefined;
  #discoveryState: OAuthDiscoveryState | undefined;
  #state: string | undefined;
  #callback: URLSearchParams | undefined;
  #formSubmissions = 0;

  constructor(options: OAuthBrowserOptions = {}) {
    this.#options = options;
    this.#redirectUrl = options.redirectUrl ?? 'http://127.0.0.1:8976/oauth/callback';
  }

  get redirectUrl(): string {
    return this.#redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.#options.clientName ?? 'oauth-browser (tests)',
      redirect_uris: [this.#redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    this.#state = randomBytes(16).toString('base64url');
    return this.#state;
  }

  clientInformation(): StoredOAuthClientInformation | undefined {
    return this.#clientInformation;
  }
  saveClientInformation(info: StoredOAuthClientInformation): void {
    this.#clientInformation = info;
  }
  tokens(): StoredOAuthTokens | undefined {
    return this.#tokens;
  }
  saveTokens(tokens: StoredOAuthTokens): void {
    this.#tokens = tokens;
  }
  saveCodeVerifier(codeVerifier: string): void {
    this.#codeVerifier = codeVerifier;
  }
  codeVerifier(): string {
    if (this.#codeVerifier === undefined) throw new Error('oauth-browser: no PKCE code verifier saved');
    return this.#codeVerifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.#discoveryState = state;
  }
  discoveryState(): OAuthDiscoveryState | undefined {
    return this.#discoveryState;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client') this.#clientInformation = undefined;
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if (scope === 'all' || scope === 'verifier') this.#codeVerifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.#discoveryState = undefined;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    this.#callback = await this.authorize(authorizationUrl);
  }

  /** How many times this browser submitted the sign-in form (0 when sign-in was automatic or remembered). */
  get formSubmissions(): number {
    return this.#formSubmissions;
  }

  /** The callback parameters (`code`, `state`, `iss`) captured by the last authorization; cleared when read. */
  takeCallbackParams(): URLSearchParams {
    const params = this.#callback;
    if (!params) throw new Error('oauth-browser: no authorization has completed');
    this.#callback = undefined;
    return params;
  }

  /** Follows the authorization flow from `authorizationUrl` to the redirect URI and returns its query parameters. */
  async authorize(authorizationUrl: URL): Promise<URLSearchParams> {
    let url = new URL(authorizationUrl);
    if (this.#options.scope !== undefined) url.searchParams.set('scope', this.#options.scope);
    const redirect = new URL(this.#redirectUrl);
    let method = 'GET';
    let body: URLSearchParams | undefined;
    for (let step = 0; step < 20; step++) {
      const headers = new Headers();
      const cookie = this.jar.header(url);
      if (cookie) headers.set('cookie', cookie);
      if (body) headers.set('origin', url.origin);
      const res = await fetch(url, { method, headers, redirect: 'manual', ...(body ? { body } : {}) });
      this.jar.store(url, res.headers.getSetCookie());
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        const next = new URL(location, url);
        if (next.origin === redirect.origin && next.pathname === redirect.pathname) return this.#atRedirectUri(next);
        url = next;
        if (res.status !== 307 && res.status !== 308) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      const text = await res.text();
      const form = res.status === 200 ? parseForm(text) : undefined;
      if (!form) throw new Error(`oauth-browser: authorization stopped at ${url.href} (HTTP ${res.status}): ${visibleText(text).slice(0, 300)}`);
      // The sign-in form offers each development user as a `name="user"` button.
      const users = form.buttons.filter(([name]) => name === 'user').map(([, value]) => value);
      const user = this.#options.userId ?? users[0];
      if (user === undefined || !users.includes(user)) {
        throw new Error(`oauth-browser: user ${JSON.stringify(user)} not offered by the sign-in form (offered: ${users.join(', ')})`);
      }
      body = new URLSearchParams([...form.hidden, ['user', user]]);
      url = new URL(form.action || url.href, url);
      method = 'POST';
      this.#formSubmissions++;
    }
    throw new Error('oauth-browser: too many redirects');
  }

  #atRedirectUri(url: URL): URLSearchParams {
    const params = url.searchParams;
    const error = params.get('error');
    if (error !== null) {
      const description = params.get('error_description');
      throw new Error(`oauth-browser: authorization failed: error=${error}${description ? ` (${description})` : ''}`);
    }
    if (this.#state !== undefined && params.get('state') !== this.#state) throw new Error('oauth-browser: state mismatch in the redirect');
    if (!params.get('code')) throw new Error(`oauth-browser: redirect without a code: ${url.href}`);
    return params;
  }
}

export interface OAuthConnection {
  client: Client;
  tokens: OAuthTokens | undefined;
  close(): Promise<void>;
}

/**
 * Connects an MCP SDK client to `mcpUrl`, completing the OAuth flow headlessly: connect → 401 →
 * discovery, registration, authorization (this browser) → `finishAuth(code)` → connect a NEW client on a
 * NEW transport (a started transport cannot be restarted).
 */
export async function connectWithOAuth(mcpUrl: string, opts: OAuthBrowserOptions = {}): Promise<OAuthConnection> {
  const browser = new OAuthBrowser(opts);
  const url = new URL(mcpUrl);
  const info = { name: 'oauth-browser-test', version: '1.0.0' };
  const first = new Client(info);
  const firstTransport = new StreamableHTTPClientTransport(url, { authProvider: browser });
  try {
    await first.connect(firstTransport);
    return { client: first, tokens: browser.tokens(), close: () => first.close() };
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }
  await firstTransport.finishAuth(browser.takeCallbackParams());
  await first.close().catch(() => undefined);
  const client = new Client(info);
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: browser }));
  return { client, tokens: browser.tokens(), close: () => client.close() };
}

/** Runs the OAuth flow for `mcpUrl` without an MCP session and returns the access token (for raw HTTP tests). */
export async function fetchAccessToken(mcpUrl: string, opts: OAuthBrowserOptions = {}): Promise<string> {
  const browser = new OAuthBrowser(opts);
  let result = await auth(browser, { serverUrl: mcpUrl });
  if (result === 'REDIRECT') {
    const params = browser.takeCallbackParams();
    const iss = params.get('iss');
    result = await auth(browser, { serverUrl: mcpUrl, authorizationCode: params.get('code') ?? '', ...(iss === null ? {} : { iss }) });
  }
  const token = browser.tokens()?.access_token;
  if (result !== 'AUTHORIZED' || !token) throw new Error(`oauth-browser: no access token for ${mcpUrl} (${result})`);
  return token;
}
