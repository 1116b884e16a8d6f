import { randomBytes } from 'node:crypto';
import type { BrowserContext } from 'playwright-core';

/**
 * An MCP SDK `OAuthClientProvider` (the shape v1 and v2 share) whose `redirectToAuthorization` is a real Chromium tab:
 * it opens the authorization URL, signs in on the provider's own page when asked, approves on its consent page when
 * asked, and records the query the provider sends to the redirect URI (nothing listens there: the request is what
 * counts). Tokens and registration live in memory, like a host that stores exactly what the SDK hands it.
 */
export interface SignIn {
  email: string;
  password: string;
}

export class BrowserClientProvider {
  readonly redirectUrl = 'http://127.0.0.1:8976/oauth/callback';
  #clientInformation: unknown;
  #tokens: { access_token: string } | undefined;
  #codeVerifier: string | undefined;
  #discoveryState: unknown;
  #callback: URLSearchParams | undefined;
  /** Which provider pages the last authorization went through, in order (`sign-in`, `consent`). */
  pagesSeen: string[] = [];

  constructor(
    private readonly context: BrowserContext,
    private readonly signIn: SignIn,
    private readonly clientName: string,
  ) {}

  get clientMetadata() {
    return { client_name: this.clientName, redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  state = () => randomBytes(16).toString('base64url');
  clientInformation = () => this.#clientInformation;
  saveClientInformation = (info: unknown) => void (this.#clientInformation = info);
  tokens = () => this.#tokens;
  saveTokens = (tokens: { access_token: string }) => void (this.#tokens = tokens);
  saveCodeVerifier = (verifier: string) => void (this.#codeVerifier = verifier);
  codeVerifier = () => this.#codeVerifier ?? '';
  saveDiscoveryState = (state: unknown) => void (this.#discoveryState = state);
  discoveryState = () => this.#discoveryState;
  invalidateCredentials(scope: string): void {
    if (scope === 'all' || scope === 'client') this.#clientInformation = undefined;
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
  }

  /** The access token the last flow saved. */
  get accessToken(): string {
    if (!this.#tokens) throw new Error('no token saved yet');
    return this.#tokens.access_token;
  }

  /** The redirect URI's query of the last authorization (`code`, `state`, `iss`, or `error`); cleared when read. */
  takeCallbackParams(): URLSearchParams {
    const params = this.#callback;
    if (!params) throw new Error('no authorization has completed');
    this.#callback = undefined;
    return params;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.#callback = await authorizeInBrowser(this.context, url, this.redirectUrl, this.signIn, this.pagesSeen = []);
  }
}

/**
 * Walks one authorization in a new tab: the provider's sign-in page (filled in), its consent page (approved), until
 * the provider sends the browser to `redirectUrl`; returns that request's query. `pagesSeen` collects the pages met.
 */
export async function authorizeInBrowser(context: BrowserContext, url: URL, redirectUrl: string, signIn: SignIn, pagesSeen: string[] = []): Promise<URLSearchParams> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const callback = context.waitForEvent('request', { predicate: (request) => request.url().startsWith(`${redirectUrl}?`), timeout: 30_000 });
  const ignoreRefused = (error: unknown) => {
    if (!/ERR_CONNECTION_REFUSED|ERR_ABORTED|interrupted by another navigation/.test(String(error))) throw error;
  };
  try {
    await page.goto(url.href).catch(ignoreRefused);
    for (let step = 0; step < 3; step++) {
      // The next stop: the redirect URI, or one of the provider's pages.
      const stop = await Promise.race([
        callback.then(() => 'callback'),
        page.waitForURL((at) => at.pathname === '/sign-in' || at.pathname === '/consent', { waitUntil: 'domcontentloaded' }).then(
          () => new URL(page.url()).pathname.slice(1),
          () => 'none',
        ),
      ]);
      if (stop === 'callback') break;
      pagesSeen.push(stop);
      if (stop === 'sign-in') {
        await page.getByLabel('Email').fill(signIn.email);
        await page.getByLabel('Password').fill(signIn.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
      } else if (stop === 'consent') {
        await page.getByRole('button', { name: 'Approve' }).click();
      }
      await page.waitForURL((at) => at.pathname !== `/${stop}`).catch(ignoreRefused);
    }
    return new URL((await callback).url()).searchParams;
  } finally {
    await page.close();
  }
}
