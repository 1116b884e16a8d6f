/**
 * The pending authorization: created only after consent, right before the browser goes to the provider (MCP
 * Security Best Practices). It is stored under the SHA-256 of a fresh random `state` for the provider, holds the
 * client's checked request, the broker's own PKCE verifier and OpenID nonce, and the hash of a browser-binding value
 * set in a cookie in the same response: at the callback, a state that comes back in another browser is refused.
 */
import { UpstreamError } from '../contracts.js';
import { flowCookieName, setCookie } from '../cookies.js';
import { redirect, redirectError, type AuthorizationRequest } from './authorization-request.js';
import type { BrokerContext } from './context.js';
import { hashKey, randomToken, storeKey, TTL } from '../store.js';

/** How long a user may take at the provider: the state, the pending record and the flow cookie expire together. */
export const PENDING_SECONDS = TTL.pending;

/**
 * Sign-ins started per minute, all clients together. Anyone can start one without an account (register a client,
 * then replay its consent form, or reload an approved client's authorization URL), and each stores a pending
 * authorization for 10 minutes: unbounded, that fills the store's memory. Past the cap new sign-ins wait a minute;
 * tokens already issued keep working.
 */
export const MAX_PENDING_PER_MINUTE = 600;
export const pendingCountKey = (minute: number): string => `pending-count:${minute}`;

export interface PendingAuthorization {
  request: AuthorizationRequest;
  /** The broker's PKCE verifier toward the provider (not the client's). */
  codeVerifier: string;
  nonce: string;
  /** SHA-256 of the flow cookie's value. */
  browserBindingHash: string;
}

/** Stores the pending authorization and sends the browser to the provider (or the client an error if it is down). */
export async function redirectToProvider(context: BrokerContext, request: AuthorizationRequest, setCookies: readonly string[] = []): Promise<Response> {
  const startedThisMinute = await context.store.increment(pendingCountKey(Math.floor(context.now() / 60)), 60);
  if (startedThisMinute > MAX_PENDING_PER_MINUTE) {
    if (startedThisMinute === MAX_PENDING_PER_MINUTE + 1) context.log('broker: too many sign-ins started this minute; new ones wait for the next');
    return redirectError(context, request, 'temporarily_unavailable', 'Too many sign-ins right now; try again in a minute.', setCookies);
  }
  const state = randomToken();
  const codeVerifier = randomToken();
  const nonce = randomToken();
  const browserBinding = randomToken();
  let providerUrl: URL;
  try {
    // Before anything is stored: a provider that cannot be reached (discovery) leaves nothing behind.
    providerUrl = await context.upstream.authorizationUrl({ state, codeChallenge: await hashKey(codeVerifier), nonce });
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    context.log('broker: the provider cannot start a sign-in', error);
    const code = error.kind === 'unavailable' ? 'temporarily_unavailable' : 'server_error';
    return redirectError(context, request, code, 'The identity provider cannot be reached; try again shortly.', setCookies);
  }
  const stateHash = await hashKey(state);
  const pending: PendingAuthorization = { request, codeVerifier, nonce, browserBindingHash: await hashKey(browserBinding) };
  await context.store.set(storeKey.pending(stateHash), pending, PENDING_SECONDS);
  return redirect(providerUrl.href, [...setCookies, setCookie(flowCookieName(stateHash), browserBinding, PENDING_SECONDS)]);
}
