/**
 * The client's authorization request, once checked (authorize.ts), and the ways it travels: signed through the
 * consent form (nothing is stored before consent), stored with the pending authorization, and answered on the
 * client's redirect URI with `state` and `iss` (RFC 9207).
 */
import { classifyAddress } from '../address-policy.js';
import { BrokerError, type BrokerClient } from '../contracts.js';
import { signValue, verifySignedValue } from '../cookies.js';
import type { BrokerContext } from './context.js';
import { isS256Challenge } from '../pkce.js';
import { fromBase64Url, toBase64Url } from '../store.js';
import { single } from './http.js';

export interface AuthorizationRequest {
  clientId: string;
  /** Exactly one of the client's registered redirect URIs. */
  redirectUri: string;
  scopes: string[];
  /** The client's own `state`, returned untouched; absent when the client sent none. */
  state?: string;
  /** The client's PKCE S256 challenge: the broker's code is bound to it. */
  codeChallenge: string;
  /** The resource the tokens are for: always the MCP server URL (sent or implied). */
  resource: string;
}

/** How long the consent form stays valid: the signed request in it expires with it. */
export const CONSENT_FORM_SECONDS = 600;
const REQUEST_PURPOSE = 'authorization-request';
const MAX_STATE_LENGTH = 2048;

/** An error the client hears on its redirect URI (RFC 6749 §4.1.2.1): its code need not be a BrokerError's. */
export class AuthorizationError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Checks what the authorization endpoint asks after the client and its redirect URI are known to match: the
 * response type, PKCE (S256 only: `plain` gives no protection against a stolen code), the resource (RFC 8707) and
 * the scopes (a subset of the server's; none means all of them).
 */
export function validateAuthorizationRequest(params: URLSearchParams, client: BrokerClient, redirectUri: string, context: BrokerContext): AuthorizationRequest {
  try {
    const state = single(params, 'state');
    if (state !== undefined && state.length > MAX_STATE_LENGTH) throw new BrokerError('invalid_request', 'The state parameter is too long.');
    if (single(params, 'response_type') !== 'code') throw new AuthorizationError('unsupported_response_type', 'Only response_type=code is supported.');
    const codeChallenge = single(params, 'code_challenge');
    if (codeChallenge === undefined) throw new BrokerError('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.');
    if (single(params, 'code_challenge_method') !== 'S256') throw new BrokerError('invalid_request', 'Only the S256 code_challenge_method is supported.');
    // Exactly what grants.issueCode accepts: a challenge refused only after the provider sign-in would strand the user there.
    if (!isS256Challenge(codeChallenge)) throw new BrokerError('invalid_request', 'The code_challenge is not an S256 challenge (43 base64url characters).');
    const resources = params.getAll('resource');
    if (resources.length > 1 || (resources[0] !== undefined && resources[0] !== context.resource.href)) {
      throw new BrokerError('invalid_target', `This server only issues tokens for ${context.resource.href}.`);
    }
    return { clientId: client.clientId, redirectUri, scopes: requestedScopes(single(params, 'scope'), context.scopes), codeChallenge, resource: context.resource.href, ...(state === undefined ? {} : { state }) };
  } catch (error) {
    if (error instanceof BrokerError) throw new AuthorizationError(error.code, error.message);
    throw error;
  }
}

function requestedScopes(scope: string | undefined, supported: readonly string[]): string[] {
  const asked = [...new Set((scope ?? '').split(' ').filter(Boolean))];
  if (asked.length === 0) return [...supported];
  const unknown = asked.filter((s) => !supported.includes(s));
  if (unknown.length > 0) throw new BrokerError('invalid_scope', `Unknown scope: ${unknown.join(' ')}.`);
  return asked;
}

/**
 * Whether any program on the user's machine could receive this redirect: loopback (RFC 8252 §7.3: any local process
 * may listen on the port) or a private-use URI scheme (§7.1: any installed app may claim it). Such consent is never
 * remembered, and the page warns when the client has no other kind. Broader than client-metadata.ts's
 * `hasOnlyLoopbackRedirectUris` on purpose: https to a loopback host and app schemes are just as claimable.
 */
export function isClaimableLocally(redirectUri: string): boolean {
  if (!URL.canParse(redirectUri)) return true;
  const url = new URL(redirectUri);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return true;
  // Every spelling of this machine: all of 127/8, 0.0.0.0, ::1, IPv4-mapped loopback, and `localhost.` (trailing dot).
  const host = url.hostname.replace(/\.$/, '');
  const addressClass = classifyAddress(host);
  return host === 'localhost' || host.endsWith('.localhost') || addressClass === 'loopback' || addressClass === 'unspecified';
}

/** The request as a signed, expiring form value: the consent POST cannot change what was checked. */
export async function sealRequest(context: BrokerContext, request: AuthorizationRequest): Promise<string> {
  const payload = toBase64Url(new TextEncoder().encode(JSON.stringify({ request, exp: context.now() + CONSENT_FORM_SECONDS })));
  return signValue(context.secrets, REQUEST_PURPOSE, payload);
}

/** The request back from the form, or undefined when it was altered, signed by another secret, or expired. */
export async function openRequest(context: BrokerContext, sealed: string | undefined): Promise<AuthorizationRequest | undefined> {
  const payload = await verifySignedValue(context.secrets, REQUEST_PURPOSE, sealed);
  const bytes = payload === undefined ? undefined : fromBase64Url(payload);
  if (bytes === undefined) return undefined;
  // Signed by this server, so well-formed: the only question left is its age.
  const decoded = JSON.parse(new TextDecoder().decode(bytes)) as { request: AuthorizationRequest; exp: number };
  return decoded.exp > context.now() ? decoded.request : undefined;
}

/** 302 to the client's redirect URI with `state` and `iss` added (RFC 9207: the client can tell which server answered). */
export function redirectToClient(context: BrokerContext, request: Pick<AuthorizationRequest, 'redirectUri' | 'state'>, params: Record<string, string>, setCookies: readonly string[] = []): Response {
  const location = new URL(request.redirectUri);
  for (const [name, value] of Object.entries(params)) location.searchParams.set(name, value);
  if (request.state !== undefined) location.searchParams.set('state', request.state);
  location.searchParams.set('iss', context.issuer);
  return redirect(location.href, setCookies);
}

export function redirect(location: string, setCookies: readonly string[] = []): Response {
  const response = new Response(null, { status: 302, headers: { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } });
  for (const cookie of setCookies) response.headers.append('Set-Cookie', cookie);
  return response;
}

/** An error on the client's redirect URI. */
export function redirectError(context: BrokerContext, request: Pick<AuthorizationRequest, 'redirectUri' | 'state'>, code: string, description: string, setCookies: readonly string[] = []): Response {
  return redirectToClient(context, request, { error: code, error_description: description }, setCookies);
}
