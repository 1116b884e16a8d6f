/**
 * The broker's browser cookies. All are `__Host-` cookies (Secure, Path=/, no Domain: no other host or path can set or
 * read them), HttpOnly, SameSite=Lax (sent on the top-level navigation back from the provider, never on a
 * cross-site POST). Values that must not be forged are signed with a key derived from AUTH_BROKER_SECRET.
 *
 * - BROWSER: a random id for this browser; the consent form's CSRF token is bound to it.
 * - consent cookies: one per remembered approval, bound to client_id + redirect_uri + scopes (consentCookieName).
 * - flow cookies: one per pending authorization, the browser binding checked at the callback (flowCookieName).
 */
import type { BrokerSecrets } from './contracts.js';
import { hashKey } from './store.js';

export const BROWSER_COOKIE = '__Host-mcp-broker-browser';
const CONSENT_PREFIX = '__Host-mcp-broker-consent-';
const FLOW_PREFIX = '__Host-mcp-broker-flow-';

/** The value of one cookie sent with the request (the first, if a browser sent the name twice). */
export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A `Set-Cookie` value; `maxAgeSeconds` 0 deletes the cookie. Values are base64url or signed base64url only. */
export function setCookie(name: string, value: string, maxAgeSeconds?: number): string {
  const age = maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`;
  return `${name}=${value}; Path=/; Secure; HttpOnly; SameSite=Lax${age}`;
}

export const deleteCookie = (name: string): string => setCookie(name, '', 0);

/** `value.signature`: readable, not forgeable. The purpose is signed too, so a value of one kind never passes for another. */
export async function signValue(secrets: BrokerSecrets, purpose: string, value: string): Promise<string> {
  return `${value}.${await secrets.sign(`${purpose}\n${value}`)}`;
}

/** The value of a signed `value.signature`, or undefined when it was not signed by this server for this purpose. */
export async function verifySignedValue(secrets: BrokerSecrets, purpose: string, signed: string | undefined): Promise<string | undefined> {
  if (!signed) return undefined;
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const value = signed.slice(0, dot);
  return (await secrets.verify(`${purpose}\n${value}`, signed.slice(dot + 1))) ? value : undefined;
}

/** What a remembered consent covers: exactly this client, this redirect URI and these scopes. */
export interface ConsentSubject {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
}

const consentText = (c: ConsentSubject): string => JSON.stringify([c.clientId, c.redirectUri, [...c.scopes].sort()]);

/** Named after a hash of what it covers, so approving one client never replaces another's approval. */
export async function consentCookieName(consent: ConsentSubject): Promise<string> {
  return `${CONSENT_PREFIX}${(await hashKey(consentText(consent))).slice(0, 22)}`;
}

/** A signed approval (value: its expiry, seconds since the epoch) for `Set-Cookie`. */
export async function consentCookie(secrets: BrokerSecrets, consent: ConsentSubject, expiresAt: number, maxAgeSeconds: number): Promise<string> {
  const value = await signValue(secrets, `consent ${consentText(consent)}`, String(expiresAt));
  return setCookie(await consentCookieName(consent), value, maxAgeSeconds);
}

/** Whether the browser holds an unexpired approval for exactly this client, redirect URI and scopes. */
export async function hasRememberedConsent(secrets: BrokerSecrets, request: Request, consent: ConsentSubject, now: number): Promise<boolean> {
  const cookie = readCookie(request, await consentCookieName(consent));
  const expiresAt = Number(await verifySignedValue(secrets, `consent ${consentText(consent)}`, cookie));
  return Number.isFinite(expiresAt) && expiresAt > now;
}

/** One flow cookie per pending authorization (named after its state's hash), so two sign-ins in parallel both work. */
export const flowCookieName = (stateHash: string): string => `${FLOW_PREFIX}${stateHash.slice(0, 22)}`;
