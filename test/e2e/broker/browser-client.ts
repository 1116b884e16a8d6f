import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';

/**
 * An MCP SDK `OAuthClientProvider` (the shape v1 and v2 share) for a client that was never configured: it registers
 * itself (DCR), or names its Client ID Metadata Document URL (CIMD), and its `redirectToAuthorization` is a real
 * Chromium tab that clicks what a person clicks: the broker's consent page, the provider's sign-in page (or the
 * development authorization server's page, for the direct flow), until the browser reaches the client's loopback
 * redirect URI, where a listener takes the code.
 */
export interface SignIn {
  username: string;
  password: string;
}

export type PageName = 'consent' | 'sign-in' | 'dev-sign-in';

export class BrokerClientProvider {
  #clientInformation: { client_id: string } | undefined;
  #tokens: { access_token: string; refresh_token?: string } | undefined;
  #codeVerifier: string | undefined;
  #discoveryState: unknown;
  #callback: URLSearchParams | undefined;
  /** The pages the last authorization went through, in order. */
  pagesSeen: PageName[] = [];

  constructor(
    private readonly context: BrowserContext,
    /** The client's redirect URI (a loopback listener, as desktop clients have). */
    readonly redirectUrl: string,
    private readonly signIn: SignIn,
    private readonly clientName: string,
    /** An https URL: the client is identified by its metadata document (CIMD) instead of registering. */
    readonly clientMetadataUrl?: string,
  ) {}

  get clientMetadata() {
    return { client_name: this.clientName, redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  state = () => randomBytes(16).toString('base64url');
  clientInformation = () => this.#clientInformation;
  saveClientInformation = (info: { client_id: string }) => void (this.#clientInformation = info);
  tokens = () => this.#tokens;
  saveTokens = (tokens: { access_token: string; refresh_token?: string }) => void (this.#tokens = tokens);
  saveCodeVerifier = (verifier: string) => void (this.#codeVerifier = verifier);
  codeVerifier = () => this.#codeVerifier ?? '';
  saveDiscoveryState = (state: unknown) => void (this.#discoveryState = state);
  discoveryState = () => this.#discoveryState;
  invalidateCredentials(scope: string): void {
    if (scope === 'all' || scope === 'client') this.#clientInformation = undefined;
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
  }

  get savedTokens(): { access_token: string; refresh_token?: string } {
    if (!this.#tokens) throw new Error('no token saved yet');
    return this.#tokens;
  }

  /**
   * Replaces the saved access token with one the server refuses, keeping the refresh token: the next request is
   * answered 401 and the SDK refreshes, as it does when an access token has expired.
   */
  spoilAccessToken(): void {
    this.#tokens = { ...this.savedTokens, access_token: 'expired-or-revoked' };
  }

  takeCallbackParams(): URLSearchParams {
    const params = this.#callback;
    if (!params) throw new Error('no authorization has completed');
    this.#callback = undefined;
    return params;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.#callback = await authorizeInBrowser(this.context, url, this.redirectUrl, this.signIn, (this.pagesSeen = []));
  }
}

const PAGE_MARKERS: Record<PageName, string> = {
  consent: 'form[action="/oauth/consent"] button[value=approve]',
  'sign-in': 'input[name=password]',
  'dev-sign-in': 'form[data-dev-login] button[name=user]',
};

/** Which of the known pages `page` shows, once one of them is visible. */
async function knownPage(page: Page): Promise<PageName> {
  await page.waitForSelector(Object.values(PAGE_MARKERS).join(', '), { state: 'visible' });
  for (const [name, selector] of Object.entries(PAGE_MARKERS) as [PageName, string][]) {
    if ((await page.locator(selector).count()) > 0) return name;
  }
  throw new Error(`no known page at ${page.url()}`);
}

/**
 * Walks one authorization in a new tab until the browser sends a request to `redirectUri` (a loopback listener, or
 * an https host the offline browser cannot reach: the request is what counts); returns that request's query.
 * `decision` is the button pressed on the broker's consent page.
 */
export async function authorizeInBrowser(context: BrowserContext, url: URL, redirectUri: string, signIn: SignIn, pagesSeen: PageName[] = [], decision: 'approve' | 'deny' = 'approve'): Promise<URLSearchParams> {
  // Every step below has its own timeout, yet one walk in CI once waited until the test's 10 minutes ran out: a walk
  // that has not reached the redirect URI in 90 s fails with where it stopped, and the test may be retried.
  let stalled: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    stalled = setTimeout(() => reject(new Error(`the browser walk stalled after 90 s; pages seen: ${pagesSeen.join(', ') || 'none'}`)), 90_000);
  });
  try {
    return await Promise.race([walk(context, url, redirectUri, signIn, pagesSeen, decision), deadline]);
  } finally {
    clearTimeout(stalled);
  }
}

async function walk(context: BrowserContext, url: URL, redirectUri: string, signIn: SignIn, pagesSeen: PageName[], decision: 'approve' | 'deny'): Promise<URLSearchParams> {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000); // a loaded CI machine: timeouts only matter when something is broken
  const callback = context.waitForEvent('request', { predicate: (request) => request.url().startsWith(`${redirectUri}?`), timeout: 60_000 });
  let arrived = false;
  void callback.then(() => (arrived = true), () => undefined);
  const unreachable = (error: unknown) => {
    if (!/ERR_NAME_NOT_RESOLVED|ERR_ABORTED|interrupted by another navigation/.test(String(error))) throw error;
  };
  try {
    await page.goto(url.href).catch(unreachable);
    for (let step = 0; step < 4 && !arrived; step++) {
      const stop = await Promise.race([callback.then(() => undefined), knownPage(page)]);
      if (stop === undefined) break;
      pagesSeen.push(stop);
      const before = page.url();
      if (stop === 'consent') await page.locator(`button[value=${decision}]`).click();
      else if (stop === 'dev-sign-in') await page.locator(PAGE_MARKERS['dev-sign-in']).first().click();
      else {
        await page.locator('input[name=username]').fill(signIn.username);
        await page.locator('input[name=password]').fill(signIn.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
      }
      await Promise.race([callback, page.waitForURL((at) => at.href !== before, { waitUntil: 'commit' }).catch(unreachable)]);
    }
    return new URL((await callback).url()).searchParams;
  } finally {
    await page.close();
  }
}
