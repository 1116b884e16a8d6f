/**
 * The interaction pages (`/interaction/:uid`) of the development authorization server: without a session, a
 * one-click sign-in form listing the development users (choosing one signs in and approves); with a session, a
 * consent page for every client this account has not approved yet. Both name the client and where the code goes,
 * and both can deny. Approval grants the requested scopes on the one configured resource.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { renderConsentPage } from './consent-page.js';
import { PAGE_HEADERS, renderErrorPage, renderLoginPage, type AuthorizationRequestView, type DevUser } from './login-page.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

export interface InteractionOptions {
  provider: Provider;
  issuer: string;
  resource: string;
  scopes: readonly string[];
  users: readonly DevUser[];
  autoApprove: boolean;
  /** Secret for the per-interaction CSRF token. */
  csrfKey: Buffer;
}

const MAX_FORM_BYTES = 16 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new HttpError(415, 'Expected a form submission.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_FORM_BYTES) throw new HttpError(413, 'Form too large.');
    chunks.push(buf);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, PAGE_HEADERS);
  res.end(html);
}

export function createInteractionHandler(o: InteractionOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const csrfFor = (uid: string): string => createHmac('sha256', o.csrfKey).update(uid).digest('base64url');
  const issuerOrigin = new URL(o.issuer).origin;
  const offered = new Set(['openid', ...o.scopes]);

  const requestedScopes = (details: Interaction): string[] =>
    String(details.params.scope ?? '')
      .split(' ')
      .filter((s) => offered.has(s));

  /** Grants the requested scopes: `openid` as an OIDC scope, the MCP scopes for the configured resource. */
  async function grantFor(details: Interaction, accountId: string): Promise<string> {
    const clientId = String(details.params.client_id);
    const existing = details.grantId ? await o.provider.Grant.find(details.grantId) : undefined;
    const grant =
      existing && existing.accountId === accountId && existing.clientId === clientId
        ? existing
        : new o.provider.Grant({ accountId, clientId });
    const requested = requestedScopes(details);
    if (requested.includes('openid')) grant.addOIDCScope('openid');
    const resourceScopes = requested.filter((s) => s !== 'openid');
    if (resourceScopes.length > 0) grant.addResourceScope(o.resource, resourceScopes);
    return grant.save();
  }

  async function describe(details: Interaction): Promise<AuthorizationRequestView> {
    const clientId = String(details.params.client_id);
    const client = await o.provider.Client.find(clientId);
    return {
      clientName: client?.clientName,
      clientId,
      // oidc-provider checked it against the registration before the interaction began (and filled it in for a
      // client with one redirect URI).
      redirectUri: String(details.params.redirect_uri ?? client?.redirectUris?.[0] ?? ''),
      scopes: requestedScopes(details),
      resource: o.resource,
    };
  }

  async function finish(req: IncomingMessage, res: ServerResponse, details: Interaction, accountId: string): Promise<void> {
    const result: InteractionResults = { consent: { grantId: await grantFor(details, accountId) } };
    // A consent prompt for an account the session does not hold (a dev user since removed) signs that user in too.
    if (details.prompt.name === 'login' || details.session?.accountId !== accountId) result.login = { accountId };
    await o.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') throw new HttpError(405, 'Method not allowed.');
    let details: Interaction;
    try {
      details = await o.provider.interactionDetails(req, res);
    } catch (error) {
      const { error_description: detail } = error as { error_description?: unknown };
      const message = typeof detail === 'string' ? detail : error instanceof Error ? error.message : String(error);
      throw new HttpError(400, `This sign-in request is unknown or has expired (${message}).`);
    }
    if (details.uid !== uid) throw new HttpError(400, 'This sign-in request does not match the browser session.');
    const { name } = details.prompt;
    if (name !== 'login' && name !== 'consent') throw new HttpError(400, `Unsupported interaction prompt: ${name}.`);

    // Only a consent prompt with a signed-in, known account gets the consent page; anything else signs in first.
    const account = name === 'consent' ? o.users.find((u) => u.id === details.session?.accountId) : undefined;
    if (req.method === 'GET') {
      // DEV_AUTH_AUTO_APPROVE=1 is the explicit opt-out (tests, scripted clients): sign in the first user, approve.
      if (o.autoApprove && o.users[0]) return finish(req, res, details, o.users[0].id);
      const page = { action: `/interaction/${uid}`, csrf: csrfFor(uid), request: await describe(details) };
      return send(res, 200, account ? renderConsentPage({ ...page, account }) : renderLoginPage({ ...page, users: o.users }));
    }

    // POST: either page. The interaction cookie is SameSite=Lax; the token and Origin check add a second guard.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== issuerOrigin) throw new HttpError(403, 'Cross-origin form submission refused.');
    const form = await readForm(req);
    const expected = Buffer.from(csrfFor(uid));
    const got = Buffer.from(form.get('csrf') ?? '');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      throw new HttpError(403, 'Invalid form token; reload the page and try again.');
    }
    if (form.has('deny')) {
      const denied: InteractionResults = { error: 'access_denied', error_description: 'The user denied the authorization request.' };
      return o.provider.interactionFinished(req, res, denied, { mergeWithLastSubmission: false });
    }
    const user = o.users.find((u) => u.id === form.get('user'));
    if (!user) throw new HttpError(400, 'Unknown user.');
    // The consent page approves for the signed-in account only; switching accounts means signing in again.
    if (account && user.id !== account.id) throw new HttpError(400, `Only ${account.name}, who is signed in, can approve here.`);
    return finish(req, res, details, user.id);
  }

  return async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://dev.invalid');
    const uid = /^\/interaction\/([\w-]+)$/.exec(pathname)?.[1];
    try {
      if (uid === undefined) throw new HttpError(404, 'Not found.');
      await handle(req, res, uid);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) return send(res, error.status, renderErrorPage(error.message));
      console.error('dev auth server: interaction failed:', error);
      send(res, 500, renderErrorPage('Internal error; see the dev auth server output.'));
    }
  };
}
