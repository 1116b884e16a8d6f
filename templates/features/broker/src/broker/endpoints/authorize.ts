/**
 * GET /oauth/authorize and POST /oauth/consent. Until the client and its redirect URI are known to match exactly,
 * every error is a page, never a redirect (an open redirector otherwise). Then the user consents for this client
 * BEFORE the browser goes to the provider (the confused-deputy defence), unless this browser already approved this
 * client, redirect URI and scopes, and the redirect URI is not one any local program could claim.
 */
import { BrokerError, type BrokerClient } from '../contracts.js';
import { BROWSER_COOKIE, consentCookie, hasRememberedConsent, readCookie, setCookie } from '../cookies.js';
import { AuthorizationError, isClaimableLocally, openRequest, redirectError, sealRequest, validateAuthorizationRequest, type AuthorizationRequest } from './authorization-request.js';
import { consentPage, errorPage } from './consent-page.js';
import type { BrokerContext } from './context.js';
import { randomToken } from '../store.js';
import { BodyTooLargeError, readForm, single } from './http.js';
import { redirectToProvider } from './pending.js';

/** How long an approval is remembered in the browser. */
export const CONSENT_REMEMBERED_SECONDS = 30 * 24 * 3600;
const CSRF_PURPOSE = 'consent-csrf';

export async function handleAuthorize(request: Request, context: BrokerContext): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const client = await knownClientAndRedirect(params, context);
  if (client instanceof Response) return client;
  const redirectUri = params.get('redirect_uri')!;
  let authorization: AuthorizationRequest;
  try {
    authorization = validateAuthorizationRequest(params, client, redirectUri, context);
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    const state = params.get('state');
    return redirectError(context, { redirectUri, ...(state ? { state } : {}) }, error.code, error.message);
  }
  const subject = { clientId: client.clientId, redirectUri, scopes: authorization.scopes };
  if (!isClaimableLocally(redirectUri) && (await hasRememberedConsent(context.secrets, request, subject, context.now()))) {
    return redirectToProvider(context, authorization);
  }
  // The CSRF token is bound to this browser (a cookie no other site can read) and to this very request.
  const browserId = readCookie(request, BROWSER_COOKIE) ?? randomToken();
  const sealed = await sealRequest(context, authorization);
  return consentPage({
    client,
    redirectUri,
    scopes: authorization.scopes,
    localOnly: client.redirectUris.every(isClaimableLocally),
    request: sealed,
    csrf: await context.secrets.sign(`${CSRF_PURPOSE}\n${browserId}\n${sealed}`),
    setCookies: [setCookie(BROWSER_COOKIE, browserId)],
  });
}

export async function handleConsent(request: Request, context: BrokerContext): Promise<Response> {
  // A form posted from another site: browsers send its origin (or "null" under our no-referrer policy).
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== 'null' && origin !== context.issuer) return errorPage('Request refused', 'This form was not submitted from this server.', 403);
  let form: URLSearchParams;
  try {
    form = await readForm(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return errorPage('Request refused', error.message, 413);
    if (error instanceof BrokerError) return errorPage('Request refused', error.message);
    throw error;
  }
  const sealed = form.get('request') ?? '';
  const csrf = form.get('csrf') ?? '';
  const browserId = readCookie(request, BROWSER_COOKIE);
  if (!browserId || !csrf || !(await context.secrets.verify(`${CSRF_PURPOSE}\n${browserId}\n${sealed}`, csrf))) {
    return errorPage('Consent not accepted', 'This consent form was not shown in this browser, or it expired. Start the sign-in again from your application.', 403);
  }
  const authorization = await openRequest(context, sealed);
  if (!authorization) return errorPage('Consent expired', 'This consent form expired. Start the sign-in again from your application.');
  // The client may have changed since the page was shown (a CIMD document edited): check its redirect URI again.
  const client = await context.clients.find(authorization.clientId).catch(rethrowUnlessBrokerError);
  if (!client || !client.redirectUris.includes(authorization.redirectUri)) return errorPage('Unknown client', 'This client or its redirect URI is no longer registered.');
  const decision = single(form, 'decision');
  if (decision === 'deny') return redirectError(context, authorization, 'access_denied', 'The user denied the request.');
  if (decision !== 'approve') return errorPage('Request refused', 'The consent form was submitted without a decision.');
  const remember = isClaimableLocally(authorization.redirectUri)
    ? []
    : [await consentCookie(context.secrets, { clientId: client.clientId, redirectUri: authorization.redirectUri, scopes: authorization.scopes }, context.now() + CONSENT_REMEMBERED_SECONDS, CONSENT_REMEMBERED_SECONDS)];
  return redirectToProvider(context, authorization, remember);
}

/** The client (by `client_id`) when `redirect_uri` is exactly one of its redirect URIs; otherwise an error page. */
async function knownClientAndRedirect(params: URLSearchParams, context: BrokerContext): Promise<BrokerClient | Response> {
  const clientIds = params.getAll('client_id');
  const redirectUris = params.getAll('redirect_uri');
  if (clientIds.length !== 1 || !clientIds[0]) return errorPage('Invalid request', 'The request must name exactly one client_id.');
  if (redirectUris.length !== 1 || !redirectUris[0]) return errorPage('Invalid request', 'The request must name exactly one redirect_uri.');
  let client: BrokerClient | undefined;
  try {
    client = await context.clients.find(clientIds[0]);
  } catch (error) {
    rethrowUnlessBrokerError(error);
    return errorPage('Unknown client', `The client could not be verified: ${(error as BrokerError).message}`);
  }
  if (!client) return errorPage('Unknown client', 'This client is not registered with this server.');
  if (!client.redirectUris.includes(redirectUris[0])) {
    return errorPage('Invalid redirect URI', 'The redirect_uri is not one this client registered; the server will not send you there.');
  }
  return client;
}

/** A client that cannot be found or verified (BrokerError) is a page; a store outage or a bug goes up to index.ts. */
function rethrowUnlessBrokerError(error: unknown): undefined {
  if (!(error instanceof BrokerError)) throw error;
  return undefined;
}
