/**
 * The pending authorization: created only after consent, right before the browser goes to the provider (MCP
 * Security Best Practices). It is stored under the SHA-256 of a fresh random `state` for the provider, holds the
 * client's checked request, the broker's own PKCE verifier and OpenID nonce (sealed: whoever reads the store does
 * not get them), and the hash of a browser-binding value set in a cookie in the same response: at the callback, a
 * state that comes back in another browser is refused.
 */
import { UpstreamError } from '../contracts.js';
import { flowCookieName, setCookie } from '../cookies.js';
import { redirect, redirectError, type AuthorizationRequest } from './authorization-request.js';
import type { BrokerContext } from './context.js';
import { hashKey, randomToken, storeKey, TTL } from '../store.js';

/** How long a user may take at the provider: the state, the pending record and the flow cookie expire together. */
export const PENDING_SECONDS = TTL.pending;

/** A pending authorization, opened: what the callback works with. */
export interface PendingAuthorization {
  request: AuthorizationRequest;
  /** The broker's PKCE verifier toward the provider (not the client's). */
  codeVerifier: string;
  nonce: string;
  /** SHA-256 of the flow cookie's value. */
  browserBindingHash: string;
}

/** What the store holds: the verifier and nonce sealed together, bound to this record's key. */
interface StoredPending {
  request: AuthorizationRequest;
  /** `{ codeVerifier, nonce }` as JSON, sealed with the context `pending:<state hash>`. */
  sealedProviderSecrets: string;
  browserBindingHash: string;
}

/** Stores the pending authorization and sends the browser to the provider (or the client an error if it is down). */
export async function redirectToProvider(context: BrokerContext, request: AuthorizationRequest, setCookies: readonly string[] = []): Promise<Response> {
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
  const key = storeKey.pending(stateHash);
  const pending: StoredPending = {
    request,
    sealedProviderSecrets: await context.secrets.seal(JSON.stringify({ codeVerifier, nonce }), key),
    browserBindingHash: await hashKey(browserBinding),
  };
  await context.store.set(key, pending, PENDING_SECONDS);
  return redirect(providerUrl.href, [...setCookies, setCookie(flowCookieName(stateHash), browserBinding, PENDING_SECONDS)]);
}

/**
 * Takes the pending authorization of a state once (a replayed state finds nothing). Undefined too when its sealed
 * part does not open (another AUTH_BROKER_SECRET, or a box moved from another record): the sign-in starts again.
 */
export async function takePendingAuthorization(context: Pick<BrokerContext, 'store' | 'secrets' | 'log'>, stateHash: string): Promise<PendingAuthorization | undefined> {
  const key = storeKey.pending(stateHash);
  const stored = await context.store.take<StoredPending>(key);
  if (!stored) return undefined;
  const opened = await context.secrets.open(stored.sealedProviderSecrets, key);
  if (opened === undefined) {
    context.log('broker: a pending sign-in could not be opened (was AUTH_BROKER_SECRET changed?)');
    return undefined;
  }
  const { codeVerifier, nonce } = JSON.parse(opened) as { codeVerifier: string; nonce: string };
  return { request: stored.request, codeVerifier, nonce, browserBindingHash: stored.browserBindingHash };
}
