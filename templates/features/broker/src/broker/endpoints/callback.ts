/**
 * GET /oauth/callback: the provider sends the browser back here. The pending authorization is taken once by its
 * state (a replayed state finds nothing) and must come back in the browser that consented (the flow cookie). Until
 * both hold, the client is not known safely and errors are pages; after, every outcome goes to the client's
 * redirect URI: the provider's refusal or outage as an OAuth error, success as the broker's own one-time code.
 */
import { StoreUnavailableError, UpstreamError, type UpstreamIdentity, type UpstreamTokens } from '../contracts.js';
import { deleteCookie, flowCookieName, readCookie } from '../cookies.js';
import { redirectError, redirectToClient } from './authorization-request.js';
import { errorPage } from './consent-page.js';
import type { BrokerContext } from './context.js';
import { constantTimeEqual } from '../client-credentials.js';
import { hashKey } from '../store.js';
import { takePendingAuthorization } from './pending.js';

/** Provider errors passed on as they are; any other code (about the broker's own request) becomes access_denied. */
const PASSED_ON = new Set(['access_denied', 'temporarily_unavailable', 'server_error']);

const UPSTREAM_FAILURE: Record<UpstreamError['kind'], string> = {
  unavailable: 'temporarily_unavailable',
  refused: 'access_denied',
  invalid: 'server_error',
};

export async function handleCallback(request: Request, context: BrokerContext): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const states = params.getAll('state');
  if (states.length !== 1 || !states[0]) return errorPage('Sign-in failed', 'The provider sent no state back: this sign-in cannot be matched to a request.');
  const stateHash = await hashKey(states[0]);
  const cookieName = flowCookieName(stateHash);
  const clearFlowCookie = [deleteCookie(cookieName)];
  const pending = await takePendingAuthorization(context, stateHash);
  if (!pending) return errorPage('Sign-in expired', 'This sign-in is unknown, expired or was already completed. Start again from your application.', 400, clearFlowCookie);
  const binding = readCookie(request, cookieName);
  if (!binding || !constantTimeEqual(await hashKey(binding), pending.browserBindingHash)) {
    return errorPage('Sign-in refused', 'This sign-in was started in another browser.', 400, clearFlowCookie);
  }

  const client = pending.request;
  const providerError = params.get('error');
  if (providerError !== null) {
    const code = PASSED_ON.has(providerError) ? providerError : 'access_denied';
    return redirectError(context, client, code, 'The identity provider did not sign you in.', clearFlowCookie);
  }
  const providerCode = params.get('code');
  if (!providerCode) return redirectError(context, client, 'server_error', 'The identity provider sent neither a code nor an error.', clearFlowCookie);

  let signedIn: { identity: UpstreamIdentity; tokens: UpstreamTokens };
  try {
    const iss = params.get('iss');
    signedIn = await context.upstream.exchangeCode({ code: providerCode, codeVerifier: pending.codeVerifier, nonce: pending.nonce, ...(iss === null ? {} : { iss }) });
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    context.log('broker: the provider code exchange failed', error);
    const code = error instanceof UpstreamError ? UPSTREAM_FAILURE[error.kind] : 'server_error';
    return redirectError(context, client, code, describe(code), clearFlowCookie);
  }

  const grantId = await context.grants.createGrant({ clientId: client.clientId, identity: signedIn.identity, scopes: client.scopes, resource: client.resource, upstreamTokens: signedIn.tokens });
  const code = await context.grants.issueCode({ grantId, clientId: client.clientId, redirectUri: client.redirectUri, codeChallenge: client.codeChallenge, resource: client.resource, scopes: client.scopes });
  return redirectToClient(context, client, { code }, clearFlowCookie);
}

function describe(code: string): string {
  if (code === 'temporarily_unavailable') return 'The identity provider cannot be reached; try again shortly.';
  if (code === 'access_denied') return 'The identity provider refused the sign-in.';
  return 'The identity provider answered in a way this server cannot accept.';
}
